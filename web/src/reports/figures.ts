// How a KPI figure is written: the server's PDF writes them the same way (vigil.reports.model).

import type { KpiValue } from "../api/types";

/** A share in percentage points, one decimal: 0.625 → "62.5". */
export function points(share: number): string {
  return (share * 100).toFixed(1);
}

/** 0.625 → "62.5%". */
export function percent(share: number): string {
  return `${points(share)}%`;
}

/** How far the value lies below its target (0 when met); null without a value. */
export function shortfall(kpi: KpiValue): number | null {
  return kpi.value === null ? null : Math.max(kpi.target - kpi.value, 0);
}
