// A lower platform's cameras under the civil-code regions they are filed in (行政区划): each
// region nested under its parent and named as the platform sent it (or by its code when it sent
// no name), its cameras under it; cameras filed nowhere the caller may see come last.

import type { Answer } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { Branch, ChannelsNode, byParent } from "./LowerTree";
import type { LowerChannelNode } from "./LowerTree";

export type LowerRegionNode = Answer<"/api/v1/lower-platforms/{platform_id}">["tree_regions"][number];

interface Props {
  regions: LowerRegionNode[];
  channels: LowerChannelNode[];
}

function RegionItem({ region, below, filed }: { region: LowerRegionNode; below: Map<string | null, LowerRegionNode[]>; filed: Map<string, LowerChannelNode[]> }) {
  const children = below.get(region.id) ?? [];
  const channels = filed.get(region.id) ?? [];
  return (
    <li role="treeitem" aria-selected={false} aria-expanded={true} data-id={region.id} data-kind="region" data-parent={region.parent_id ?? ""}>
      <strong>{region.name}</strong>
      {region.name !== region.id && <> <span className="mono muted">{region.id}</span></>}
      <Branch nodes={children.map((child) => <RegionItem key={child.id} region={child} below={below} filed={filed} />)} channels={channels} />
    </li>
  );
}

export function LowerRegions({ regions, channels }: Props) {
  const { t } = useI18n();
  const known = new Set(regions.map((r) => r.id));
  const below = byParent(regions);
  const filed = new Map<string, LowerChannelNode[]>();
  const loose: LowerChannelNode[] = [];
  for (const channel of channels) {
    const at = channel.organisation_id;
    if (at && known.has(at)) filed.set(at, [...(filed.get(at) ?? []), channel]);
    else loose.push(channel);
  }
  return (
    <>
      <h4>{t("lower.regionsTree")}</h4>
      <ul role="tree" aria-label={t("lower.regionsTree")} data-testid="lower-regions">
        {(below.get(null) ?? []).map((region) => (
          <RegionItem key={region.id} region={region} below={below} filed={filed} />
        ))}
        <ChannelsNode kind="no-region" label={t("lower.noRegion")} channels={loose} />
      </ul>
    </>
  );
}
