// The rows a reader sees: the loaded levels of the tree, in order, as far as nodes are expanded.

import type { Channel } from "../api/types";
import type { NodeKind, TreeItem } from "./treeApi";
import { expandable } from "./treeApi";

export function channelOnline(channel: Channel): boolean {
  const status = channel.status.toLowerCase();
  return status === "online" || status === "on";
}

/** One level's rows as loaded so far; ``next`` is the cursor of the rest (null: all loaded). */
export interface Level {
  items: TreeItem[];
  next: string | null;
  loading: boolean;
  error: unknown;
}

export const ROOT = "";

/** A row's key is its path from the root, so a channel under its device and under a group
 * (or filed on its own under an organisation) has a key of its own in each place. */
export function keyOf(parentKey: string, item: { kind: NodeKind; id: string }): string {
  return `${parentKey}/${item.kind}:${item.id}`;
}

export function refOf(key: string): { kind: NodeKind; id: string } {
  const last = key.slice(key.lastIndexOf("/") + 1);
  const colon = last.indexOf(":");
  return { kind: last.slice(0, colon) as NodeKind, id: last.slice(colon + 1) };
}

export type VisibleRow =
  | { type: "node"; key: string; item: TreeItem; level: number; parentKey: string | null }
  | { type: "more"; key: string; level: number; parentKey: string | null; loading: boolean };

/** The rows in order: each expanded node's loaded children below it, and a "more" row after a
 * level that has more than is loaded. */
export function visibleRows(levels: Map<string, Level>, expanded: Set<string>): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const walk = (parentKey: string, depth: number) => {
    const level = levels.get(parentKey);
    if (!level) return;
    const parent = parentKey === ROOT ? null : parentKey;
    for (const item of level.items) {
      const key = keyOf(parentKey, item);
      rows.push({ type: "node", key, item, level: depth, parentKey: parent });
      if (expandable(item) && expanded.has(key)) walk(key, depth + 1);
    }
    if (level.next) rows.push({ type: "more", key: `${parentKey}/more`, level: depth, parentKey: parent, loading: level.loading });
  };
  walk(ROOT, 1);
  return rows;
}
