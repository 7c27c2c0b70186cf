// GET /api/v1/tree/…: the resource tree a level at a time, and search over it.

import { api } from "../api/client";
import type { Page } from "../api/types";

export type NodeKind = "organisation" | "device" | "channel" | "group" | "unfiled";

export interface TreeItem {
  kind: NodeKind;
  id: string;
  name: string;
  online: boolean | null;
  /** Direct children the caller sees (0: nothing to expand). */
  children: number;
  /** Channels at or below, and how many of them are online. */
  channels: number;
  channels_online: number;
}

export interface PathStep {
  kind: NodeKind;
  id: string;
  name: string;
}

export interface SearchHit extends TreeItem {
  /** The ancestors to expand to reveal the hit, root first. */
  path: PathStep[];
}

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
