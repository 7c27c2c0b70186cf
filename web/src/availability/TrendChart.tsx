// The intact rate per day as lines (the whole organisation and each group), with the policy's
// targets (98 % key public areas, 95 % industry sites) as dashed lines across. Like the KPI chart,
// the lines are one hand-drawn SVG and the words and figures around it are HTML.

import { useId } from "react";
import { ChartPlot } from "../components/ChartPlot";
import { useI18n } from "../i18n/I18n";
import { percent } from "../reports/figures";
import type { DayRate, GroupRate } from "./types";

const HEIGHT = 220; // px
const TARGETS = [
  { value: 0.98, key: "availability.targetKeyArea" },
  { value: 0.95, key: "availability.targetIndustry" },
] as const;
const MAX_SERIES = 6; // the total and up to five groups get a colour each

export interface Series {
  name: string;
  daily: DayRate[];
}

/** The bottom of the rate axis: 90 %, or lower in steps of 10 points to show the lowest day. */
export function axisFloor(series: Series[]): number {
  const lowest = Math.min(1, ...series.flatMap((s) => s.daily.flatMap((d) => (d.rate === null ? [] : [d.rate]))));
  return Math.min(0.9, Math.floor(lowest * 10) / 10);
}

/** The line's points; a day without camera-days (rate null) has none. */
function pointsOf(daily: DayRate[], floor: number): string {
  const n = daily.length;
  return daily
    .flatMap((d, i) => {
      if (d.rate === null) return [];
      const x = n === 1 ? 50 : (i / (n - 1)) * 100;
      const y = ((1 - d.rate) / (1 - floor)) * HEIGHT;
      return [`${x.toFixed(3)},${y.toFixed(2)}`];
    })
    .join(" ");
}

export function TrendChart({ total, groups }: { total: GroupRate; groups: GroupRate[] }) {
  const { t } = useI18n();
  const caption = useId();
  const series: Series[] = [
    { name: t("availability.total"), daily: total.daily },
    ...(groups.length > 1 ? groups.slice(0, MAX_SERIES - 1).map((g) => ({ name: g.group, daily: g.daily })) : []),
  ];
  const floor = axisFloor(series);
  const ticks = [floor, (floor + 1) / 2, 1];
  const days = total.daily;
  const last = days.length - 1;
  const labelled = [...new Set([0, Math.floor(last / 2), last])].filter((i) => i >= 0);
  const summary = t("availability.chartSummary", {
    first: days[0]?.day ?? "",
    last: days[days.length - 1]?.day ?? "",
    rate: total.rate === null ? "—" : percent(total.rate),
  });
  return (
    <figure className="kpi-chart trend-chart" aria-labelledby={caption}>
      <figcaption id={caption}>
        {t("availability.chart")}
        <span className="legend">
          {series.map((s, i) => (
            <span key={s.name} className="legend-item">
              <span className={`swatch trend-swatch series-${i}`} />
              {s.name}
            </span>
          ))}
          {TARGETS.map((target) => (
            <span key={target.value} className="legend-item">
              <span className={`swatch chart-target-swatch target-${Math.round(target.value * 100)}`} />
              {t(target.key, { value: percent(target.value) })}
            </span>
          ))}
        </span>
      </figcaption>
      <div className="trend-grid">
        <div className="trend-y" style={{ height: HEIGHT }}>
          {ticks.map((tick) => (
            <span key={tick} style={{ top: `${((1 - tick) / (1 - floor)) * 100}%` }}>{percent(tick)}</span>
          ))}
        </div>
        <ChartPlot height={HEIGHT} summary={summary} data-floor={floor}>
          {ticks.map((tick) => {
            const y = ((1 - tick) / (1 - floor)) * HEIGHT;
            return <line key={tick} className="chart-gridline" x1={0} x2={100} y1={y} y2={y} vectorEffect="non-scaling-stroke" />;
          })}
          {TARGETS.map((target) => {
            const y = ((1 - target.value) / (1 - floor)) * HEIGHT;
            return (
              <line
                key={target.value}
                className={`chart-target target-${Math.round(target.value * 100)}`}
                data-target={target.value}
                x1={0}
                x2={100}
                y1={y}
                y2={y}
                vectorEffect="non-scaling-stroke"
              />
            );
          })}
          {series.map((s, i) => (
            <polyline
              key={s.name}
              className={`trend-line series-${i}`}
              data-series={i === 0 ? "total" : s.name}
              data-rates={s.daily.map((d) => (d.rate === null ? "-" : d.rate.toFixed(4))).join(" ")}
              points={pointsOf(s.daily, floor)}
              vectorEffect="non-scaling-stroke"
            />
          ))}
        </ChartPlot>
        <div className="trend-x">
          {labelled.map((i) => (
            <span key={days[i].day} style={{ left: `${last === 0 ? 50 : (i / last) * 100}%` }}>{days[i].day}</span>
          ))}
        </div>
      </div>
    </figure>
  );
}
