// A lower platform's imported catalog tree as it sent it: business groups and virtual
// organisations nested by their parent links with the channels in each, then the devices behind
// the platform with their channels, then the channels that hang on the platform itself, then the
// channels under the civil-code regions they are filed in (LowerRegions).

import type { ReactNode } from "react";
import type { Answer } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { LowerRegions } from "./LowerRegions";
import type { LowerRegionNode } from "./LowerRegions";

type Detail = Answer<"/api/v1/lower-platforms/{platform_id}">;
export type LowerGroupNode = Detail["tree_groups"][number];
export type LowerDeviceNode = Detail["tree_devices"][number];
export type LowerChannelNode = Detail["tree_channels"][number];

interface Props {
  platformId: string;
  groups: LowerGroupNode[];
  devices: LowerDeviceNode[];
  channels: LowerChannelNode[];
  regions: LowerRegionNode[];
}

export function ChannelItem({ channel }: { channel: LowerChannelNode }) {
  const { t } = useI18n();
  const online = channel.status === "online";
  return (
    <li role="treeitem" aria-selected={false} data-id={channel.id} data-kind="channel">
      <span className={`badge ${online ? "on" : "off"}`}>{online ? t("status.online") : t("status.offline")}</span>{" "}
      {channel.name} <span className="mono muted">{channel.id}</span>
    </li>
  );
}

/** The nodes each node holds, by parent ID; a node whose parent is not among them is a root (key null). */
export function byParent<Node extends { id: string; parent_id: string | null }>(nodes: Node[]): Map<string | null, Node[]> {
  const known = new Set(nodes.map((n) => n.id));
  const below = new Map<string | null, Node[]>();
  for (const node of nodes) {
    const parent = node.parent_id && known.has(node.parent_id) ? node.parent_id : null;
    below.set(parent, [...(below.get(parent) ?? []), node]);
  }
  return below;
}

/** What a tree node holds: its child nodes, then its channels; nothing when it holds neither. */
export function Branch({ nodes, channels }: { nodes: ReactNode[]; channels: LowerChannelNode[] }) {
  if (nodes.length + channels.length === 0) return null;
  return (
    <ul role="group">
      {nodes}
      {channels.map((channel) => (
        <ChannelItem key={channel.id} channel={channel} />
      ))}
    </ul>
  );
}

/** A node that only gathers channels under a label (no catalog object); nothing when there are none. */
export function ChannelsNode({ kind, label, channels }: { kind: string; label: string; channels: LowerChannelNode[] }) {
  if (channels.length === 0) return null;
  return (
    <li role="treeitem" aria-selected={false} aria-expanded={true} data-kind={kind}>
      <strong>{label}</strong>
      <Branch nodes={[]} channels={channels} />
    </li>
  );
}

function GroupItem({ group, tree, members }: { group: LowerGroupNode; tree: Map<string | null, LowerGroupNode[]>; members: Map<string, LowerChannelNode[]> }) {
  const { t } = useI18n();
  const below = tree.get(group.id) ?? [];
  const channels = members.get(group.id) ?? [];
  return (
    <li role="treeitem" aria-selected={false} aria-expanded={true} data-id={group.id} data-kind={group.kind} data-parent={group.parent_id ?? ""}>
      <strong>{group.name}</strong> <span className="mono muted">{group.id}</span>{" "}
      <span className="muted">{t(group.kind === "business_group" ? "lower.businessGroup" : "lower.virtualOrg")}</span>
      <Branch nodes={below.map((child) => <GroupItem key={child.id} group={child} tree={tree} members={members} />)} channels={channels} />
    </li>
  );
}

export function LowerTree({ platformId, groups, devices, channels, regions }: Props) {
  const { t } = useI18n();
  const children = byParent(groups);
  const members = new Map<string, LowerChannelNode[]>();
  for (const channel of channels) {
    for (const group of channel.group_ids) members.set(group, [...(members.get(group) ?? []), channel]);
  }
  const direct = channels.filter((c) => c.device_id === platformId);
  return (
    <div className="lower-tree">
      <h4>{t("lower.groupsTree")}</h4>
      <ul role="tree" aria-label={t("lower.groupsTree")} data-testid="lower-groups">
        {(children.get(null) ?? []).map((group) => (
          <GroupItem key={group.id} group={group} tree={children} members={members} />
        ))}
      </ul>
      <h4>{t("lower.devicesTree")}</h4>
      <ul role="tree" aria-label={t("lower.devicesTree")} data-testid="lower-devices">
        {devices.map((device) => (
          <li key={device.id} role="treeitem" aria-selected={false} aria-expanded={true} data-id={device.id} data-kind="device">
            <strong>{device.name}</strong> <span className="mono muted">{device.id}</span>
            <ul role="group">
              {channels.filter((c) => c.device_id === device.id).map((channel) => (
                <ChannelItem key={channel.id} channel={channel} />
              ))}
            </ul>
          </li>
        ))}
        <ChannelsNode kind="platform" label={t("lower.direct")} channels={direct} />
      </ul>
      <LowerRegions regions={regions} channels={channels} />
    </div>
  );
}
