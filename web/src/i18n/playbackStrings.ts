// The playback timeline's zoom and window (kept apart from strings.ts, which spreads them in).

import type { Entry } from "./entry";

export const PLAYBACK_STRINGS = {
  "playback.zoom": { zh: "时间轴缩放", en: "Timeline zoom" },
  "playback.zoomDay": { zh: "24 小时", en: "24 h" },
  "playback.zoomHour": { zh: "1 小时", en: "1 h" },
  "playback.zoomFive": { zh: "5 分钟", en: "5 min" },
  "playback.earlier": { zh: "时间轴向前移动", en: "Move the timeline earlier" },
  "playback.later": { zh: "时间轴向后移动", en: "Move the timeline later" },
  "playback.zoomHint": { zh: "在时间轴上按 + / - 或滚动鼠标滚轮缩放", en: "+ / - or the mouse wheel on the timeline zoom" },
} satisfies Record<string, Entry>;
