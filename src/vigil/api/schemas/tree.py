"""The resource tree on the wire: rows of one level, and search hits with their ancestors."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

NodeKind = Literal["organisation", "device", "channel", "group", "unfiled"]


class TreeNodePublic(BaseModel):
    kind: NodeKind
    id: str
    name: str
    online: bool | None
    children: int
    channels: int
    channels_online: int


class PathStepPublic(BaseModel):
    kind: NodeKind
    id: str
    name: str


class SearchHitPublic(TreeNodePublic):
    path: list[PathStepPublic]


class NodeRef(BaseModel):
    kind: NodeKind
    id: str


class StartLevelPublic(BaseModel):
    """One level of the first view: the path of its parent from the root ([] for the roots)."""

    path: list[NodeRef]
    items: list[TreeNodePublic]
    next: str | None


class StartView(BaseModel):
    levels: list[StartLevelPublic]
