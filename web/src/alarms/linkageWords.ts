// Linkage rules (报警联动) in words: which alarms a rule matches and what each of its actions does,
// for the alarm centre's read-only list of rules (they are edited through PUT /alarms/linkage).
// An action type without words is shown as its code, with its fields.

import type { Translate } from "../i18n/I18n";
import { isKey } from "../i18n/problems";
import { kindWord, sourceWord } from "./alarmWords";

export type LinkageAction = { type?: unknown; [field: string]: unknown };

function text(value: unknown): string {
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

/** One action in words: "调用预置位 3", "Record for 60 s", "Show on the wall “duty”". */
export function actionWord(t: Translate, action: LinkageAction): string {
  const type = text(action.type);
  switch (type) {
    case "evidence_lock":
      return t("linkage.evidence_lock");
    case "mqtt":
      return t("linkage.mqtt", { topic: text(action.topic) || "vigil/alarms/{source}/{kind}" });
    case "webhook":
      return t("linkage.webhook", { url: text(action.url) });
    case "forward_upper":
      return t("linkage.forward_upper");
    case "ptz_preset":
      return action.channel_id
        ? t("linkage.ptz_presetOn", { preset: text(action.preset), channel: text(action.channel_id) })
        : t("linkage.ptz_preset", { preset: text(action.preset) });
    case "record":
      return t("linkage.record", { seconds: text(action.seconds) });
    case "wall":
      return action.wall ? t("linkage.wallNamed", { wall: text(action.wall) }) : t("linkage.wall");
    default: {
      const key = `linkage.${type}`;
      return isKey(key) ? t(key) : JSON.stringify(action);
    }
  }
}

/** The analytics rule's id of a `rule:<id>` kind (data: shown as it is, apart from the words). */
export function ruleOf(kind: string | null): string | null {
  const rule = kind ? /^rule:(.+)$/.exec(kind) : null;
  return rule ? rule[1] : null;
}

/** Which alarms a rule matches: "智能分析 · 区域入侵", "全部报警", "分析规则" (for a `rule:<id>`
 * kind, whose id `ruleOf` gives, to be shown beside it). */
export function matchWord(t: Translate, source: string | null, kind: string | null): string {
  const parts: string[] = [];
  if (source) parts.push(sourceWord(t, source));
  if (ruleOf(kind) !== null) parts.push(t("linkage.ruleKind"));
  else if (kind) parts.push(kindWord(t, kind));
  return parts.length ? parts.join(" · ") : t("linkage.anyAlarm");
}
