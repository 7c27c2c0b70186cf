// The lower platform's tree by civil-code region (kept apart from strings.ts, which spreads it in).

import type { Entry } from "./entry";

export const LOWER_STRINGS = {
  "lower.regionsTree": { zh: "行政区划与通道", en: "Regions and their channels" },
  "lower.noRegion": { zh: "未归入行政区划的通道", en: "Channels under no region" },
} satisfies Record<string, Entry>;
