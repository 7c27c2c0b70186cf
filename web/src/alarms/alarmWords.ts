// Alarms in words and in addresses: kinds, levels, states and sources in the console's language,
// the list's query from a filter, the playback address of an alarm's clip, which steps an alarm
// may take, and the popup an `alarm.raised` bus event makes. No React here: `npm test` runs it.

import type { Translate } from "../i18n/I18n";
import { isKey, wordOr } from "../i18n/problems";
import { playbackLink } from "../playback/playbackLink";
import type { BusEvent } from "../tree/eventSocket";
import type { Alarm, AlarmFilter, AlarmState } from "./types";

/** The kinds the filter offers before any alarm is seen: analytics rules, picture faults, and
 * device alarms by GB/T 28181 method (a device alarm's kind adds its type: gb.video.2). */
export const KNOWN_KINDS = [
  "intrusion",
  "loitering",
  "crowding",
  "line_crossing",
  "gb.video",
  "gb.device",
  "gb.fault",
  "gb.phone",
  "gb.sms",
  "gb.gps",
  "gb.other",
  "fault.no_signal",
  "fault.frozen",
  "fault.blur",
  "fault.too_dark",
  "fault.too_bright",
  "fault.low_contrast",
  "fault.colour_cast",
  "fault.noise",
  "fault.stripes",
  "fault.rolling",
];

const GB_KIND = /^gb\.([a-z]+)(?:\.(\d+))?$/;

/** An alarm's kind in words; a kind the console has no words for is shown as its code. */
export function kindWord(t: Translate, kind: string): string {
  if (kind.startsWith("fault.")) return wordOr(t, "fault.", kind.slice("fault.".length));
  const gb = GB_KIND.exec(kind);
  if (gb) {
    const method = wordOr(t, "alarms.gb.", gb[1]);
    return gb[2] ? t("alarms.gbTyped", { method, type: gb[2] }) : method;
  }
  return wordOr(t, "alarms.kinds.", kind);
}

export function levelWord(t: Translate, level: number): string {
  return wordOr(t, "alarms.levels.", String(level));
}

export function stateWord(t: Translate, state: string): string {
  return wordOr(t, "alarms.states.", state);
}

export function sourceWord(t: Translate, source: string): string {
  return wordOr(t, "alarms.sources.", source);
}

/** A detected object's class in words where the console has them (else null: show the code). */
export function labelWord(t: Translate, label: string): string | null {
  const key = `alarms.labels.${label}`;
  return isKey(key) ? t(key) : null;
}

/** The kinds to filter by: the known ones and those seen in the list, known first. */
export function kindChoices(seen: Iterable<string>): string[] {
  const extra = [...new Set(seen)].filter((kind) => !KNOWN_KINDS.includes(kind)).sort();
  return [...KNOWN_KINDS, ...extra];
}

/** The query of GET /alarms (and, without the state, of /alarms/counts) for a filter. */
export function filterParams(filter: AlarmFilter, withState = true): URLSearchParams {
  const params = new URLSearchParams();
  if (withState && filter.state) params.set("state", filter.state);
  for (const key of ["source", "kind", "channel", "org"] as const) {
    if (filter[key]) params.set(key, filter[key]);
  }
  if (filter.from) params.set("from", new Date(filter.from).toISOString());
  if (filter.to) params.set("to", new Date(filter.to).toISOString());
  return params;
}

/** The playback page at the start of the alarm's clip, or null when it has none. */
export function clipLink(alarm: Pick<Alarm, "channel_id" | "clip_start">): string | null {
  if (!alarm.channel_id || !alarm.clip_start) return null;
  return playbackLink(alarm.channel_id, alarm.clip_start);
}

/** The alarm centre's page with an alarm's details open. */
export function alarmLink(id: number): string {
  return `/alarms?alarm=${id}`;
}

/** Whether an alarm in `state` may take the step (the server's table: alarms/model.py). */
export function canStep(state: AlarmState, step: "acknowledge" | "close"): boolean {
  return step === "acknowledge" ? state === "new" : state !== "closed";
}

/** What a popup says about a raised alarm; `ruleName`: the analytics rule's name, if any. */
export interface AlarmToast {
  id: number;
  kind: string;
  ruleName: string | null;
  level: number;
  channelId: string | null;
  deviceId: string | null;
  at: string;
}

/** The popup of an `alarm.raised` event; null for any other event or a malformed one. */
export function toastOf(event: BusEvent): AlarmToast | null {
  if (event.subject !== "alarm.raised") return null;
  const { alarm_id: id, kind, level, channel_id: channelId, device_id: deviceId, alarm_at: at, rule_name: ruleName } = event;
  if (typeof id !== "number" || typeof kind !== "string" || typeof level !== "number" || typeof at !== "string") return null;
  return {
    id,
    kind,
    ruleName: typeof ruleName === "string" && ruleName ? ruleName : null,
    level,
    channelId: typeof channelId === "string" ? channelId : null,
    deviceId: typeof deviceId === "string" ? deviceId : null,
    at,
  };
}

/** A popup's title: the kind in words, and the analytics rule's name where it has one. */
export function toastTitle(t: Translate, toast: Pick<AlarmToast, "kind" | "ruleName">): string {
  const kind = kindWord(t, toast.kind);
  return toast.ruleName ? t("alarms.toastTitleRule", { kind, rule: toast.ruleName }) : t("alarms.toastTitle", { kind });
}

/** The newest popups first, one per alarm, at most `keep`. */
export function withToast(toasts: AlarmToast[], toast: AlarmToast, keep = 4): AlarmToast[] {
  return [toast, ...toasts.filter((t) => t.id !== toast.id)].slice(0, keep);
}
