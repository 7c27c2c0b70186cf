"""The resource tree on the wire: rows of one level, and search hits with their ancestors."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from vigil.api.schemas.mirror import fields_of
from vigil.catalog.tree_nodes import TreeNode

NodeKind = Literal["organisation", "device", "channel", "group", "unfiled"]


class TreeNodePublic(BaseModel):
    """One node of the resource tree: an organisation, group, device or channel."""

    __annotations__ = fields_of(TreeNode, drop={"rank"})
    kind: NodeKind


class PathStepPublic(BaseModel):
    """One step on the path from a tree root to a node."""

    kind: NodeKind
    id: str
    name: str


class SearchHitPublic(TreeNodePublic):
    """A tree node found by search, with the path that leads to it."""

    path: list[PathStepPublic]


class NodeRef(BaseModel):
    """A reference to a tree node by kind and ID."""

    kind: NodeKind
    id: str


class StartLevelPublic(BaseModel):
    """One level of the first view: the path of its parent from the root ([] for the roots)."""

    path: list[NodeRef]
    items: list[TreeNodePublic]
    next: str | None


class StartView(BaseModel):
    """The tree's first view: the levels opened down to where the user starts."""

    levels: list[StartLevelPublic]
