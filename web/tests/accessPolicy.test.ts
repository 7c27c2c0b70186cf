// The access policy's pure rules (src/manage/accessPolicy.ts): level words, time checks, and an
// access window shaped for the PUT that replaces them all.

import assert from "node:assert/strict";
import { test } from "node:test";
import { checkTime, draftProblems, levelKey, windowOf, windowsBody } from "../src/manage/accessPolicy";
import type { WindowDraft } from "../src/manage/accessPolicy";

const DRAFT: WindowDraft = { who: "role", role: "viewer", userId: "", action: "live", start: "08:00", end: "18:00", days: [] };

test("levels read as their words, unknown ones as the nearest", () => {
  assert.equal(levelKey(0), "level.0");
  assert.equal(levelKey(3), "level.3");
  assert.equal(levelKey(7), "level.3");
  assert.equal(levelKey(-1), "level.0");
});

test("times are HH:MM within a day", () => {
  assert.ok(checkTime("00:00"));
  assert.ok(checkTime("23:59"));
  assert.ok(!checkTime("24:00"));
  assert.ok(!checkTime("8:00"));
  assert.ok(!checkTime("08:60"));
  assert.ok(!checkTime(""));
});

test("a draft's problems name the fields at fault", () => {
  assert.deepEqual(draftProblems(DRAFT), []);
  assert.deepEqual(draftProblems({ ...DRAFT, start: "25:00", end: "x" }), ["start", "end"]);
  assert.deepEqual(draftProblems({ ...DRAFT, who: "user", userId: "" }), ["user"]);
  assert.deepEqual(draftProblems({ ...DRAFT, who: "user", userId: "4" }), []);
});

test("a window names a role or a user, never both; no days or all seven is every day", () => {
  assert.deepEqual(windowOf({ ...DRAFT, userId: "9", days: [5, 1, 5] }), {
    action: "live", start: "08:00", end: "18:00", days: [1, 5], role: "viewer", user_id: null,
  });
  const byUser = windowOf({ ...DRAFT, who: "user", userId: "9", days: [1, 2, 3, 4, 5, 6, 7] });
  assert.equal(byUser.role, null);
  assert.equal(byUser.user_id, 9);
  assert.equal(byUser.days, null);
});

test("the PUT body cuts the server's seconds off and fills absent fields", () => {
  const body = windowsBody([{ action: "export", start: "22:00:00", end: "06:00:00", role: "operator" }]);
  assert.deepEqual(body, {
    windows: [{ action: "export", start: "22:00", end: "06:00", days: null, role: "operator", user_id: null }],
  });
});
