// The six KPIs as horizontal bars (0–100 %), each with its target as a dashed line across it.
// The bars and lines are one hand-drawn SVG; the words and figures beside it are HTML, so they
// take the page's colours and are read as text.

import { useId } from "react";
import { KPI_NAMES } from "../api/types";
import type { Kpis } from "../api/types";
import { ChartPlot } from "../components/ChartPlot";
import { useI18n } from "../i18n/I18n";
import { percent } from "./figures";

const ROW = 34; // px per KPI
const TICKS = [0, 0.25, 0.5, 0.75, 1];

export function KpiChart({ kpis }: { kpis: Kpis }) {
  const { t } = useI18n();
  const caption = useId();
  const height = KPI_NAMES.length * ROW;
  const summary = KPI_NAMES.map((name) => {
    const kpi = kpis[name];
    const value = kpi.value === null ? "—" : percent(kpi.value);
    return `${t(`kpi.${name}`)} ${value}, ${t("report.target", { value: percent(kpi.target) })}`;
  }).join("; ");
  return (
    <figure className="kpi-chart" aria-labelledby={caption}>
      <figcaption id={caption}>
        {t("report.chart")}
        <span className="legend">
          <span className="swatch chart-bar-swatch" />
          {t("report.legendValue")}
          <span className="swatch chart-target-swatch" />
          {t("report.legendTarget")}
        </span>
      </figcaption>
      <div className="chart-grid" style={{ gridTemplateRows: `repeat(${KPI_NAMES.length}, ${ROW}px) auto` }}>
        {KPI_NAMES.map((name, i) => (
          <span key={name} className="chart-label" style={{ gridRow: i + 1 }}>
            {t(`kpi.${name}`)}
          </span>
        ))}
        <ChartPlot height={height} summary={summary} style={{ gridRow: `1 / span ${KPI_NAMES.length}` }}>
          {TICKS.map((tick) => (
            <line key={tick} className="chart-gridline" x1={tick * 100} x2={tick * 100} y1={0} y2={height} vectorEffect="non-scaling-stroke" />
          ))}
          {KPI_NAMES.map((name, i) => {
            const { value, target } = kpis[name];
            return (
              <g key={name} data-kpi={name}>
                {value !== null && <rect className="chart-bar" x={0} y={i * ROW + 8} width={value * 100} height={ROW - 16} />}
                <line
                  className="chart-target"
                  x1={target * 100}
                  x2={target * 100}
                  y1={i * ROW + 3}
                  y2={(i + 1) * ROW - 3}
                  vectorEffect="non-scaling-stroke"
                />
              </g>
            );
          })}
        </ChartPlot>
        {KPI_NAMES.map((name, i) => {
          const { value } = kpis[name];
          return (
            <span key={name} className="chart-value" style={{ gridRow: i + 1 }}>
              {value === null ? "—" : percent(value)}
            </span>
          );
        })}
        <div className="chart-axis" style={{ gridRow: KPI_NAMES.length + 1 }}>
          {TICKS.map((tick) => (
            <span key={tick} style={{ left: `${tick * 100}%` }}>{percent(tick)}</span>
          ))}
        </div>
      </div>
    </figure>
  );
}
