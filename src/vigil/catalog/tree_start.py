"""The tree's first view in one answer: the roots, and below them the levels that open at first.

A node opens at first when it is within ``OPEN_DEPTH`` levels of the roots, holds at most
``OPEN_CHANNELS`` channels and has at most ``OPEN_SIBLINGS`` nodes beside it (or is the only node
of its level): a district's demo shows its cameras
at a glance, a city of 100,000 channels shows its top levels and waits to be expanded. One answer
instead of one request per level keeps the first paint to one round trip.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.catalog.tree import ResourceTree, TreeNode
from vigil.governance.permissions import Principal

__all__ = ["OPEN_CHANNELS", "OPEN_DEPTH", "StartLevel", "first_view"]

OPEN_DEPTH = 4
OPEN_CHANNELS = 500
OPEN_SIBLINGS = 16
"""A level of more nodes than this opens none of them: 200 devices of 4 cameras each would
otherwise cost 200 reads for a view nobody asked for."""
MAX_LEVELS = 64
"""Levels read for one first view at most (a wide, small catalog stops opening here)."""


@dataclass(frozen=True, slots=True)
class StartLevel:
    """One level of the tree's first view: where it hangs and its rows."""

    path: list[tuple[str, str]]
    """The (kind, id) of each node from the root down to this level's parent ([] for roots)."""
    nodes: list[TreeNode]
    """Up to ``limit + 1`` rows: one more than ``limit`` means the level has more."""


def _opens(node: TreeNode, alone: bool) -> bool:
    return (
        node.children > 0 and node.kind != "channel" and (node.channels <= OPEN_CHANNELS or alone)
    )


async def first_view(tree: ResourceTree, principal: Principal, limit: int) -> list[StartLevel]:
    levels = [StartLevel([], await tree.roots(principal, None, limit + 1))]
    frontier: list[tuple[list[tuple[str, str]], TreeNode]] = []

    def queue(level: StartLevel) -> None:
        if len(level.path) >= OPEN_DEPTH:
            return
        shown = level.nodes[:limit]
        if len(shown) > OPEN_SIBLINGS:
            return
        for node in shown:
            if _opens(node, len(shown) == 1):
                frontier.append(([*level.path, (node.kind, node.id)], node))

    queue(levels[0])
    while frontier and len(levels) < MAX_LEVELS:
        path, node = frontier.pop(0)
        level = StartLevel(
            path, await tree.children(principal, node.kind, node.id, None, limit + 1)
        )
        levels.append(level)
        queue(level)
    return levels
