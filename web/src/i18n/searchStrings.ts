// The words of the video search page (录像检索): the search form and what it found per channel,
// recorded spans and analytics tracks (kept apart from strings.ts, which spreads them in).
// Object classes use the alarm centre's words (alarms.labels.*).

import type { Entry } from "./entry";

export const SEARCH_STRINGS = {
  "nav.videoSearch": { zh: "录像检索", en: "Search" },

  "search.title": { zh: "录像检索", en: "Video search" },
  "search.hint": {
    zh: "查找所选通道在一段时间内的录像，以及智能分析发现的行人、车辆等目标。每次检索须注明用途，并记入审计日志。",
    en: "Find what is on record on the chosen channels in a period, and the people and vehicles analytics saw in it. Every search states its purpose and is audited.",
  },
  "search.form": { zh: "检索条件", en: "Search" },
  "search.channels": { zh: "通道（可多选）", en: "Channels (choose one or more)" },
  "search.from": { zh: "开始时间", en: "From" },
  "search.to": { zh: "结束时间", en: "To" },
  "search.label": { zh: "目标类型", en: "Object" },
  "search.anyLabel": { zh: "不限", en: "Any" },
  "search.otherLabel": { zh: "其他类别", en: "Other class" },
  "search.labelText": { zh: "类别名（小写英文）", en: "Class name" },
  "search.submit": { zh: "检索", en: "Search" },
  "search.busy": { zh: "正在检索…", en: "Searching…" },
  "search.problem.noChannel": { zh: "请至少选择一个通道", en: "Choose at least one channel" },
  "search.problem.tooManyChannels": { zh: "一次最多检索 {max} 个通道", en: "At most {max} channels per search" },
  "search.problem.noPeriod": { zh: "请填写开始时间和结束时间", en: "Give the start and the end of the period" },
  "search.problem.backwards": { zh: "结束时间须晚于开始时间", en: "The end must come after the start" },
  "search.problem.tooLong": { zh: "时间段不能超过 31 天", en: "The period may not be longer than 31 days" },
  "search.problem.label": { zh: "类别名只能由小写英文字母和空格组成", en: "A class name is lower-case letters and spaces" },

  "search.results": { zh: "检索结果", en: "Results" },
  "search.period": { zh: "{from} 至 {to}", en: "{from} to {to}" },
  "search.recorded": { zh: "已录像 {duration}", en: "recorded {duration}" },
  "search.hoursMinutes": { zh: "{hours} 小时 {minutes} 分钟", en: "{hours} h {minutes} min" },
  "search.minutes": { zh: "{minutes} 分钟", en: "{minutes} min" },
  "search.seconds": { zh: "{seconds} 秒", en: "{seconds} s" },
  "search.nothingRecorded": { zh: "该时间段没有录像", en: "Nothing is on record in the period" },
  "search.spans": { zh: "录像时段（点击回放）", en: "Recorded spans (open to play back)" },
  "search.playFrom": { zh: "从 {time} 开始回放", en: "Play back from {time}" },
  "search.tracks": { zh: "分析发现的目标", en: "What analytics saw" },
  "search.noTracks": { zh: "该时间段没有分析发现的目标", en: "Analytics saw nothing in the period" },
  "search.more": { zh: "匹配的目标较多，仅列出最近的 {count} 个", en: "More matched: the newest {count} are listed" },
  "search.trackLabel": { zh: "类型", en: "Object" },
  "search.trackStart": { zh: "出现时间", en: "Appeared" },
  "search.trackEnd": { zh: "离开时间", en: "Left" },
  "search.stillTracked": { zh: "仍在跟踪", en: "Still tracked" },
  "search.trackRecorded": { zh: "有录像", en: "On record" },
  "search.yes": { zh: "是", en: "Yes" },
  "search.no": { zh: "否", en: "No" },
  "search.play": { zh: "回放", en: "Play back" },
} satisfies Record<string, Entry>;
