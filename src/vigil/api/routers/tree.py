"""The console's resource tree, a level at a time, and search over it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from vigil.api.deps import CurrentPrincipal
from vigil.api.pagination import decode_ranked_cursor, page_of, ranked_key
from vigil.api.schemas.common import PRINTABLE, CursorQuery, IdPath, LimitQuery, Page
from vigil.api.schemas.tree import (
    NodeRef,
    PathStepPublic,
    SearchHitPublic,
    StartLevelPublic,
    StartView,
    TreeNodePublic,
)
from vigil.api.services import Search, Tree
from vigil.catalog.tree import TreeNode
from vigil.catalog.tree_search import SearchHit
from vigil.catalog.tree_start import first_view

router = APIRouter(prefix="/tree", tags=["tree"])

SearchQuery = Annotated[
    str, Query(min_length=1, max_length=64, pattern=PRINTABLE, description="Name or ID part")
]


def _node(node: TreeNode) -> TreeNodePublic:
    return TreeNodePublic.model_validate(node, from_attributes=True)


def _hit(hit: SearchHit) -> SearchHitPublic:
    path = [PathStepPublic.model_validate(step, from_attributes=True) for step in hit.path]
    return SearchHitPublic(**_node(hit.node).model_dump(), path=path)


@router.get("/start", response_model=StartView)
async def tree_start(principal: CurrentPrincipal, tree: Tree, limit: LimitQuery = 100) -> StartView:
    """The roots and the small levels below them that the console opens at first, in one go."""
    levels = []
    for level in await first_view(tree, principal, limit):
        page = page_of(level.nodes, limit, _node, ranked_key)
        path = [NodeRef.model_validate({"kind": kind, "id": id}) for kind, id in level.path]
        levels.append(StartLevelPublic(path=path, items=page.items, next=page.next))
    return StartView(levels=levels)


@router.get("/roots", response_model=Page[TreeNodePublic])
async def tree_roots(
    principal: CurrentPrincipal, tree: Tree, limit: LimitQuery = 100, cursor: CursorQuery = None
) -> Page[TreeNodePublic]:
    rows = await tree.roots(principal, decode_ranked_cursor(cursor), limit + 1)
    return page_of(rows, limit, _node, ranked_key)


@router.get("/organisations/{organisation_id}/children", response_model=Page[TreeNodePublic])
async def organisation_children(
    organisation_id: IdPath,
    principal: CurrentPrincipal,
    tree: Tree,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[TreeNodePublic]:
    rows = await tree.organisation_children(
        principal, organisation_id, decode_ranked_cursor(cursor), limit + 1
    )
    return page_of(rows, limit, _node, ranked_key)


@router.get("/devices/{device_id}/children", response_model=Page[TreeNodePublic])
async def device_children(
    device_id: IdPath,
    principal: CurrentPrincipal,
    tree: Tree,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[TreeNodePublic]:
    rows = await tree.device_children(principal, device_id, decode_ranked_cursor(cursor), limit + 1)
    return page_of(rows, limit, _node, ranked_key)


@router.get("/groups/{group_id}/children", response_model=Page[TreeNodePublic])
async def group_children(
    group_id: IdPath,
    principal: CurrentPrincipal,
    tree: Tree,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[TreeNodePublic]:
    rows = await tree.group_children(principal, group_id, decode_ranked_cursor(cursor), limit + 1)
    return page_of(rows, limit, _node, ranked_key)


@router.get("/unfiled/children", response_model=Page[TreeNodePublic])
async def unfiled_children(
    principal: CurrentPrincipal, tree: Tree, limit: LimitQuery = 100, cursor: CursorQuery = None
) -> Page[TreeNodePublic]:
    rows = await tree.unfiled_children(principal, decode_ranked_cursor(cursor), limit + 1)
    return page_of(rows, limit, _node, ranked_key)


@router.get("/search", response_model=Page[SearchHitPublic])
async def search_tree(
    q: SearchQuery,
    principal: CurrentPrincipal,
    tree_search: Search,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[SearchHitPublic]:
    """Organisations, devices and channels whose name contains ``q`` (or ID, for digits)."""
    query = q.strip()
    if not query:
        return Page[SearchHitPublic](items=[], next=None)
    hits = await tree_search.search(principal, query, decode_ranked_cursor(cursor), limit + 1)
    return page_of(hits, limit, _hit, ranked_key)
