// GET /api/v1/tree/…: the resource tree a level at a time, and search over it.

import { api } from "../api/client";
import type { Answer, ItemOf, Page } from "../api/types";

/** A node of the tree: `children` are the direct children the caller sees (0: nothing to
 * expand), `channels` the channels at or below and `channels_online` how many are online. */
export type TreeItem = ItemOf<Answer<"/api/v1/tree/roots">>;
export type NodeKind = TreeItem["kind"];
/** A search hit with `path`, the ancestors to expand to reveal it, root first. */
export type SearchHit = ItemOf<Answer<"/api/v1/tree/search">>;
export type PathStep = SearchHit["path"][number];

/** Rows a level is read in; a level with more shows a "more" row (loaded on scroll too). */
export const PAGE_SIZE = 200;

const CHILDREN: Partial<Record<NodeKind, (id: string) => string>> = {
  organisation: (id) => `/tree/organisations/${id}/children`,
  device: (id) => `/tree/devices/${id}/children`,
  group: (id) => `/tree/groups/${id}/children`,
  unfiled: () => "/tree/unfiled/children",
};

export function expandable(item: { kind: NodeKind; children: number }): boolean {
  return item.children > 0 && CHILDREN[item.kind] !== undefined;
}

function query(limit: number, cursor: string | null): string {
  return `limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
}

/** One page of the roots (``parent`` null) or of a node's children. */
export function fetchLevel(
  parent: { kind: NodeKind; id: string } | null,
  cursor: string | null,
  limit = PAGE_SIZE,
): Promise<Page<TreeItem>> {
  const path = parent ? CHILDREN[parent.kind]!(parent.id) : "/tree/roots";
  return api<Page<TreeItem>>(`${path}?${query(limit, cursor)}`);
}

export function searchTree(text: string, cursor: string | null, limit = 50): Promise<Page<SearchHit>> {
  return api<Page<SearchHit>>(`/tree/search?q=${encodeURIComponent(text)}&${query(limit, cursor)}`);
}

/** A level of the start view: `path` is its parent's kind and ID from the root down ([] for
 * the roots). */
type Start = Answer<"/api/v1/tree/start">;
export type StartLevel = Start["levels"][number];

let early: Promise<Start> | null = null;

/** Pages that show the tree: its first view is read early there. */
const TREE_PAGES = new Set(["/", "/playback"]);

/** Read the first view now, beside the session's own check, when the page shows the tree: it is
 * then ready when the tree mounts (one round trip less before the first paint). */
export function readStartEarly(path: string): void {
  if (!TREE_PAGES.has(path)) return;
  early = api<Start>(`/tree/start?limit=${PAGE_SIZE}`);
  early.catch(() => undefined); // the tree reports it when it takes the answer
}

/** The roots and the small levels the tree opens at first, in one answer. */
export function fetchStart(): Promise<Start> {
  const answer = early ?? api<Start>(`/tree/start?limit=${PAGE_SIZE}`);
  early = null;
  return answer;
}
