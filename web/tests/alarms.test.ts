// The alarm centre's words and addresses (src/alarms/alarmWords.ts), run by `npm test` without a
// browser: kinds, levels and states in both languages, the list's query, the clip's playback
// address, the steps an alarm may take, the popup of a bus event; and every string of the alarm
// centre in Chinese without English words left in it.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  KNOWN_KINDS,
  alarmLink,
  canStep,
  clipLink,
  filterParams,
  kindChoices,
  kindWord,
  labelWord,
  levelWord,
  stateWord,
  toastOf,
  toastTitle,
  withToast,
} from "../src/alarms/alarmWords";
import type { AlarmToast } from "../src/alarms/alarmWords";
import { NO_FILTER } from "../src/alarms/types";
import { ALARM_STRINGS } from "../src/i18n/alarmStrings";
import { translate } from "../src/i18n/I18n";
import type { Translate } from "../src/i18n/I18n";

const zh: Translate = (key, params) => translate("zh", key, params);
const en: Translate = (key, params) => translate("en", key, params);

test("kinds in words: analytics rules, picture faults, device alarms by method and type", () => {
  assert.equal(kindWord(zh, "intrusion"), "区域入侵");
  assert.equal(kindWord(en, "line_crossing"), "Line crossing");
  assert.equal(kindWord(zh, "fault.frozen"), "画面冻结");
  assert.equal(kindWord(zh, "gb.video"), "视频报警");
  assert.equal(kindWord(zh, "gb.video.2"), "视频报警（类型 2）");
  assert.equal(kindWord(en, "gb.device.1"), "Device alarm (type 1)");
  // No words: the code itself, never a broken sentence.
  assert.equal(kindWord(zh, "rule:42"), "rule:42");
  assert.equal(kindWord(zh, "fault.unheard"), "unheard");
  assert.equal(kindWord(zh, "gb.martian.3"), "martian（类型 3）");
});

test("every known kind has words in both languages", () => {
  for (const kind of KNOWN_KINDS) {
    for (const t of [zh, en]) assert.notEqual(kindWord(t, kind), kind, kind);
  }
});

test("levels, states and labels in words; unknown ones as their codes", () => {
  assert.equal(levelWord(zh, 1), "一级（紧急）");
  assert.equal(levelWord(en, 4), "4 (notice)");
  assert.equal(levelWord(zh, 9), "9");
  assert.equal(stateWord(zh, "acknowledged"), "已确认");
  assert.equal(stateWord(en, "closed"), "Closed");
  assert.equal(labelWord(zh, "person"), "行人");
  assert.equal(labelWord(zh, "giraffe"), null);
});

test("the filter's query: only what is set, times as UTC instants, counts without the state", () => {
  assert.equal(filterParams(NO_FILTER).toString(), "");
  const filter = { ...NO_FILTER, state: "new" as const, source: "device" as const, kind: "gb.video.2", channel: "34010000001320000001", org: "3401" };
  const params = filterParams({ ...filter, from: "2026-12-07T08:00", to: "2026-12-07T09:30" });
  assert.equal(params.get("state"), "new");
  assert.equal(params.get("kind"), "gb.video.2");
  assert.equal(params.get("org"), "3401");
  assert.equal(params.get("from"), new Date("2026-12-07T08:00").toISOString());
  assert.equal(params.get("to"), new Date("2026-12-07T09:30").toISOString());
  assert.equal(filterParams(filter, false).get("state"), null);
  assert.equal(filterParams(filter, false).get("source"), "device");
});

test("the clip opens the playback page at its start; no channel or clip, no link", () => {
  const start = "2026-12-07T07:59:50+00:00";
  const link = clipLink({ channel_id: "34010000001320000001", clip_start: start });
  assert.ok(link?.startsWith("/playback?"));
  const query = new URLSearchParams(link!.slice("/playback?".length));
  assert.equal(query.get("channel"), "34010000001320000001");
  assert.equal(query.get("at"), start);
  assert.equal(clipLink({ channel_id: null, clip_start: start }), null);
  assert.equal(clipLink({ channel_id: "34010000001320000001", clip_start: null }), null);
  assert.equal(alarmLink(17), "/alarms?alarm=17");
});

test("the steps: acknowledge only a new alarm, close a new or acknowledged one", () => {
  assert.deepEqual(
    (["new", "acknowledged", "closed"] as const).map((s) => [canStep(s, "acknowledge"), canStep(s, "close")]),
    [[true, true], [false, true], [false, false]],
  );
});

const RAISED = {
  subject: "alarm.raised",
  at: "2026-12-07T08:00:01+00:00",
  alarm_id: 5,
  source: "device",
  kind: "gb.video.2",
  level: 1,
  channel_id: "34010000001320000001",
  device_id: "34010000001110000001",
  alarm_at: "2026-12-07T08:00:00+00:00",
  description: "区域入侵",
};

test("a popup from alarm.raised only; other and malformed events make none", () => {
  assert.deepEqual(toastOf(RAISED), {
    id: 5,
    kind: "gb.video.2",
    ruleName: null,
    level: 1,
    channelId: "34010000001320000001",
    deviceId: "34010000001110000001",
    at: "2026-12-07T08:00:00+00:00",
  });
  assert.equal(toastOf({ ...RAISED, subject: "alarm.closed" }), null);
  assert.equal(toastOf({ ...RAISED, alarm_id: "5" }), null);
  assert.equal(toastOf({ subject: "alarm.raised" }), null);
  assert.equal(toastOf({ ...RAISED, channel_id: null })?.channelId, null);
  assert.equal(toastOf({ ...RAISED, source: "analytics", rule_name: "草坪禁入区" })?.ruleName, "草坪禁入区");
});

test("a popup's title names the analytics rule, in either language", () => {
  const toast = { kind: "intrusion", ruleName: "草坪禁入区" };
  assert.equal(toastTitle(zh, toast), "新报警：区域入侵（规则“草坪禁入区”）");
  assert.equal(toastTitle(en, toast), "New alarm: Intrusion (rule “草坪禁入区”)");
  assert.equal(toastTitle(zh, { kind: "gb.video.2", ruleName: null }), "新报警：视频报警（类型 2）");
});

test("popups: newest first, one per alarm, at most the number kept", () => {
  const toast = (id: number): AlarmToast => ({ id, kind: "intrusion", ruleName: null, level: 2, channelId: null, deviceId: null, at: RAISED.alarm_at });
  let shown: AlarmToast[] = [];
  for (const id of [1, 2, 3, 2, 4, 5]) shown = withToast(shown, toast(id), 4);
  assert.deepEqual(shown.map((t) => t.id), [5, 4, 2, 3]);
});

test("the alarm centre's Chinese has no English left in it", () => {
  // What Chinese writes in Latin letters here: none but the placeholders.
  for (const [key, entry] of Object.entries(ALARM_STRINGS)) {
    const latin = entry.zh.replace(/\{\w+\}/g, "").match(/[A-Za-z]+/g);
    assert.equal(latin, null, `${key}: ${entry.zh}`);
    assert.ok(entry.en.trim(), key);
  }
  assert.ok(kindChoices([]).every((kind) => !/[A-Za-z]/.test(kindWord(zh, kind))));
  assert.deepEqual(kindChoices(["rule:9", "intrusion", "gb.video.2", "rule:9"]).slice(KNOWN_KINDS.length), ["gb.video.2", "rule:9"]);
});
