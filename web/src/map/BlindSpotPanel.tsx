// The blind spots beside the map, ranked as the coverage service ranks them: key areas by unseen
// area, then intersections by missing parts; a click zooms the map to the spot.

import type { ReactElement } from "react";
import type { KpiName } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { percent } from "../reports/figures";
import type { Coverage } from "./coverage";

export type Spot = { kind: "key_area" | "intersection"; id: number };

const SHOWN_KPIS: KpiName[] = ["coverage_rate", "intersection_coverage"];

export function spotKey(spot: Spot): string {
  return `${spot.kind}:${spot.id}`;
}

export function BlindSpotPanel({
  coverage,
  focused,
  onFocus,
}: {
  coverage: Coverage;
  focused: string | null;
  onFocus: (spot: Spot) => void;
}) {
  const { t } = useI18n();
  const { spots, kpis, footprints } = coverage;
  const item = (spot: Spot, name: string, note: string) => (
    <li key={spotKey(spot)} data-spot={spotKey(spot)}>
      <button
        type="button"
        className="link"
        aria-pressed={focused === spotKey(spot)}
        onClick={() => onFocus(spot)}
      >
        <span className="spot-name">{name}</span>
      </button>{" "}
      <span className="muted">{note}</span>
    </li>
  );
  return (
    <div className="blind-spots">
      <h3>{t("map.coverage")}</h3>
      <ul className="plain-list" data-testid="map-kpis">
        {SHOWN_KPIS.map((name) => (
          <li key={name} data-kpi={name}>
            {t(`kpi.${name}`)}：
            <strong>{kpis[name].value === null ? "—" : percent(kpis[name].value!)}</strong>{" "}
            <span className="muted">{t("report.target", { value: percent(kpis[name].target) })}</span>
          </li>
        ))}
        <li>{t("map.footprintCount", { n: footprints.features.length })}</li>
      </ul>
      <h3>{t("map.blindSpots")}</h3>
      <h4>{t("report.keyAreas")}</h4>
      <SpotList testId="blind-areas-list">
        {spots.key_areas.map((a) =>
          item(
            { kind: "key_area", id: a.id },
            a.name,
            t("map.unseenArea", { area: Math.round(a.uncovered_m2).toLocaleString(), share: percent(a.uncovered_share) }),
          ),
        )}
      </SpotList>
      <h4>{t("report.intersections")}</h4>
      <SpotList testId="blind-crossings-list">
        {spots.intersections.map((c) =>
          item(
            { kind: "intersection", id: c.id },
            c.name,
            t("map.approachesSeen", {
              seen: c.approaches_seen,
              all: c.approaches,
              centre: c.centre_seen ? t("map.centreSeen") : t("map.centreUnseen"),
            }),
          ),
        )}
      </SpotList>
    </div>
  );
}

/** The spots of a kind in their order, or a note that there are none. */
function SpotList({ testId, children }: { testId: string; children: ReactElement[] }) {
  const { t } = useI18n();
  if (children.length === 0) return <p className="muted">{t("report.noSpots")}</p>;
  return <ol data-testid={testId}>{children}</ol>;
}
