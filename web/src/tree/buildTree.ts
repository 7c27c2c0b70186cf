// Organisations → devices → channels as one tree with per-node counts, and search over it.

import type { Channel, Device, Organisation } from "../api/types";

export type NodeKind = "organisation" | "device" | "channel" | "group";

export interface TreeNode {
  key: string;
  kind: NodeKind;
  id: string;
  name: string;
  online: boolean;
  children: TreeNode[];
  /** Channels at or below this node, and how many of them are online. */
  channels: number;
  channelsOnline: number;
}

export const UNFILED = "unfiled";

export function channelOnline(channel: Channel): boolean {
  const status = channel.status.toLowerCase();
  return status === "online" || status === "on";
}

function node(kind: NodeKind, id: string, name: string, online: boolean): TreeNode {
  return { key: `${kind}:${id}`, kind, id, name, online, children: [], channels: 0, channelsOnline: 0 };
}

function count(tree: TreeNode): void {
  if (tree.kind === "channel") {
    tree.channels = 1;
    tree.channelsOnline = tree.online ? 1 : 0;
    return;
  }
  tree.channels = 0;
  tree.channelsOnline = 0;
  for (const child of tree.children) {
    count(child);
    tree.channels += child.channels;
    tree.channelsOnline += child.channelsOnline;
  }
}

const byName = (a: TreeNode, b: TreeNode) => a.id.localeCompare(b.id);

/** Roots of the tree; devices under no visible organisation gather under an "unfiled" node;
 * ``groups`` (the virtual tree, see ./virtualGroups) are roots beside the organisations. */
export function buildTree(
  organisations: Iterable<Organisation>,
  devices: Iterable<Device>,
  channels: Iterable<Channel>,
  unfiledName: string,
  groups: TreeNode[] = [],
): TreeNode[] {
  const orgs = [...organisations];
  const orgNodes = new Map<string, TreeNode>();
  for (const org of orgs) orgNodes.set(org.id, node("organisation", org.id, org.name, true));
  const roots: TreeNode[] = [];
  for (const org of orgs) {
    const parent = org.parent_id ? orgNodes.get(org.parent_id) : undefined;
    (parent ? parent.children : roots).push(orgNodes.get(org.id)!);
  }
  const deviceNodes = new Map<string, TreeNode>();
  const unfiled = node("organisation", UNFILED, unfiledName, true);
  for (const device of devices) {
    const deviceNode = node("device", device.id, device.name, device.online);
    deviceNodes.set(device.id, deviceNode);
    const org = device.organisation_id ? orgNodes.get(device.organisation_id) : undefined;
    (org ? org.children : unfiled.children).push(deviceNode);
  }
  for (const channel of channels) {
    const parent = deviceNodes.get(channel.device_id) ?? unfiled;
    parent.children.push(node("channel", channel.id, channel.name, channelOnline(channel)));
  }
  if (unfiled.children.length) roots.push(unfiled);
  roots.push(...groups);
  const sort = (list: TreeNode[]) => {
    list.sort(byName);
    list.forEach((child) => sort(child.children));
  };
  sort(roots);
  roots.forEach(count);
  return roots;
}

/** The tree pruned to nodes whose name or ID contains ``query`` and their ancestors. */
export function filterTree(roots: TreeNode[], query: string): TreeNode[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return roots;
  const keep = (tree: TreeNode): TreeNode | null => {
    if (tree.name.toLowerCase().includes(needle) || tree.id.includes(needle)) return tree;
    const children = tree.children.map(keep).filter((c): c is TreeNode => c !== null);
    return children.length ? { ...tree, children } : null;
  };
  return roots.map(keep).filter((c): c is TreeNode => c !== null);
}

export interface VisibleRow {
  node: TreeNode;
  level: number;
  parentKey: string | null;
}

/** The rows a reader sees, in order, given which nodes are expanded. */
export function visibleRows(roots: TreeNode[], expanded: Set<string>, all: boolean): VisibleRow[] {
  const rows: VisibleRow[] = [];
  const walk = (list: TreeNode[], level: number, parentKey: string | null) => {
    for (const tree of list) {
      rows.push({ node: tree, level, parentKey });
      if (tree.children.length && (all || expanded.has(tree.key))) {
        walk(tree.children, level + 1, tree.key);
      }
    }
  };
  walk(roots, 1, null);
  return rows;
}
