// Virtual groups (业务分组 215 / 虚拟组织 216) in the resource tree: the ones made here and the ones
// a lower platform's catalog brought in, nested by their parent links, each with its channels.
// A channel also sits under its device; under a group its key is scoped to the group so every
// row of the tree keeps a key of its own.

import { listAll } from "../api/client";
import type { Channel } from "../api/types";
import { channelOnline } from "./buildTree";
import type { TreeNode } from "./buildTree";

export interface VirtualGroup {
  id: string;
  name: string;
  kind: "business_group" | "virtual_organisation";
  parent_id: string | null;
  platform_id: number | null;
}

export interface GroupCatalog {
  groups: VirtualGroup[];
  /** Group ID → IDs of the channels in it that the caller may see. */
  members: Map<string, string[]>;
}

/** Most groups whose channels are fetched (one request each) when the console loads. */
const MAX_GROUPS = 200;

export async function loadGroups(): Promise<GroupCatalog> {
  const groups = await listAll<VirtualGroup>("/virtual-groups");
  const lists = await Promise.all(
    groups.slice(0, MAX_GROUPS).map((g) => listAll<Channel>(`/virtual-groups/${g.id}/channels`)),
  );
  const members = new Map<string, string[]>();
  lists.forEach((channels, index) => members.set(groups[index].id, channels.map((c) => c.id)));
  return { groups, members };
}

function groupNode(group: VirtualGroup): TreeNode {
  const key = `group:${group.id}`;
  return { key, kind: "group", id: group.id, name: group.name, online: true, children: [], channels: 0, channelsOnline: 0 };
}

/** Root nodes of the virtual tree (groups whose parent is unknown are roots too). */
export function groupRoots(catalog: GroupCatalog, channels: Map<string, Channel>): TreeNode[] {
  const nodes = new Map(catalog.groups.map((g) => [g.id, groupNode(g)]));
  const roots: TreeNode[] = [];
  for (const group of catalog.groups) {
    const parent = group.parent_id ? nodes.get(group.parent_id) : undefined;
    (parent ? parent.children : roots).push(nodes.get(group.id)!);
  }
  for (const [groupId, channelIds] of catalog.members) {
    const node = nodes.get(groupId);
    for (const channelId of channelIds) {
      const channel = channels.get(channelId);
      if (!node || !channel) continue;
      node.children.push({
        key: `group:${groupId}/channel:${channel.id}`,
        kind: "channel",
        id: channel.id,
        name: channel.name,
        online: channelOnline(channel),
        children: [],
        channels: 0,
        channelsOnline: 0,
      });
    }
  }
  return roots;
}
