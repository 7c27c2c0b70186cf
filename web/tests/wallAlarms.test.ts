// The live wall's alarm linkage (src/wall/alarmCells.ts), run by `npm test` without a browser: the
// `alarm.wall` event read from the bus, which wall it is for, and which cell it goes into.

import assert from "node:assert/strict";
import { test } from "node:test";
import { alarmCell, forThisWall, wallAlarmOf } from "../src/wall/alarmCells";
import type { AlarmMark } from "../src/wall/alarmCells";
import { translate } from "../src/i18n/I18n";
import type { StringKey } from "../src/i18n/strings";

const A = "34010000001320000001";
const B = "34010000001320000002";
const C = "34010000001320000003";
const D = "34010000001320000004";
const E = "34010000001320000005";

function mark(alarmId: number, channelId: string, order: number): AlarmMark {
  return { alarmId, channelId, wall: null, kind: "intrusion", level: 2, at: "2026-12-07T08:00:00Z", order };
}

test("an alarm.wall event is read, anything else is not", () => {
  const event = {
    subject: "alarm.wall",
    alarm_id: 7,
    channel_id: A,
    wall: null,
    kind: "intrusion",
    level: 2,
    alarm_at: "2026-12-07T08:00:00Z",
  };
  assert.deepEqual(wallAlarmOf(event), {
    alarmId: 7,
    channelId: A,
    wall: null,
    kind: "intrusion",
    level: 2,
    at: "2026-12-07T08:00:00Z",
  });
  assert.equal(wallAlarmOf({ ...event, subject: "alarm.raised" }), null);
  assert.equal(wallAlarmOf({ ...event, channel_id: null }), null);
  const named = wallAlarmOf({ ...event, wall: "值班大屏" });
  assert.ok(named);
  assert.equal(forThisWall(named, "值班大屏 "), true);
  assert.equal(forThisWall(named, ""), false);
  assert.equal(forThisWall({ ...named, wall: null }, "whatever"), true);
});

test("the channel goes to its own cell, an empty one, the oldest linked one, or the last", () => {
  const none = new Map<number, AlarmMark>();
  assert.equal(alarmCell([A, null, C, null], 4, none, C), 2);
  assert.equal(alarmCell([A, null, C, null], 4, none, E), 1);
  assert.equal(alarmCell([A, B, C, D, null], 4, none, E), 3); // the empty fifth is not shown
  const marks = new Map<number, AlarmMark>([
    [2, mark(2, C, 5)],
    [1, mark(1, B, 3)],
    [6, mark(3, "x", 1)], // beyond the layout: not a candidate
  ]);
  assert.equal(alarmCell([A, B, C, D], 4, marks, E), 1);
});

test("the wall's alarm words exist in both languages", () => {
  const keys: StringKey[] = ["wall.alarmMark", "wall.name", "wall.nameHint"];
  for (const key of keys) {
    assert.notEqual(translate("zh", key, { kind: "入侵" }), key);
    assert.notEqual(translate("en", key, { kind: "intrusion" }), key);
  }
});
