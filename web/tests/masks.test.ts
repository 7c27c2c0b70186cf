// Privacy masks as the console handles them, pure logic run by `npm test`: the mask editor's
// drafts and their rules (src/masks/maskModel.ts) and the player's unmask choices and request
// bodies, live and playback (src/player/unmask.ts).

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Approval } from "../src/api/types";
import { MASK_STRINGS } from "../src/i18n/maskStrings";
import { closesOutline, fromServer, maskProblem, masksBody, nextKey, selfCrossing } from "../src/masks/maskModel";
import type { MaskDraft } from "../src/masks/maskModel";
import type { Point } from "../src/rules/geometry";
import { liveBody, pendingUnmasks, playbackBody, unmaskAsk, unmaskGrants } from "../src/player/unmask";
import { anApproval } from "./approvalFixture";

const SQUARE: Point[] = [[0.2, 0.2], [0.6, 0.2], [0.6, 0.6], [0.2, 0.6]];

function draft(changes: Partial<MaskDraft> = {}): MaskDraft {
  return { key: "mask-1", label: "窗户", points: SQUARE, permanent: false, preset: "", ...changes };
}

test("a square, a triangle and a concave outline do not cross themselves", () => {
  assert.equal(selfCrossing(SQUARE), false);
  assert.equal(selfCrossing([[0, 0], [1, 0], [0, 1]]), false);
  // An L shape: concave, simple.
  assert.equal(selfCrossing([[0, 0], [0.5, 0], [0.5, 0.2], [0.2, 0.2], [0.2, 0.5], [0, 0.5]]), false);
  // A corner given twice in a row is one corner.
  assert.equal(selfCrossing([[0.2, 0.2], [0.6, 0.2], [0.6, 0.2], [0.6, 0.6], [0.2, 0.6]]), false);
});

test("a bow tie, a touching corner and a fold back cross themselves", () => {
  // Corners in the wrong order: the edges cross in the middle.
  assert.equal(selfCrossing([[0.2, 0.2], [0.6, 0.6], [0.6, 0.2], [0.2, 0.6]]), true);
  // A corner that touches a non-neighbouring edge.
  assert.equal(selfCrossing([[0, 0], [1, 0], [1, 1], [0.5, 0], [0, 1]]), true);
  // Going back along the same line.
  assert.equal(selfCrossing([[0.1, 0.1], [0.5, 0.1], [0.3, 0.1], [0.3, 0.5]]), true);
});

test("a mask's first problem is named: label, points, outline, preset", () => {
  assert.equal(maskProblem(draft()), null);
  assert.equal(maskProblem(draft({ label: "   " })), "label");
  assert.equal(maskProblem(draft({ label: "字".repeat(64) })), null);
  assert.equal(maskProblem(draft({ label: "字".repeat(65) })), "labelLong");
  assert.equal(maskProblem(draft({ label: "a\tb" })), "control");
  assert.equal(maskProblem(draft({ points: SQUARE.slice(0, 2) })), "points");
  const many = Array.from({ length: 65 }, (_, i): Point => [0.5 + 0.4 * Math.cos(i / 10), 0.5 + 0.4 * Math.sin(i / 10)]);
  assert.equal(maskProblem(draft({ points: many })), "points");
  assert.equal(maskProblem(draft({ points: [[0.1, 0.1], [0.2, 0.2], [0.3, 0.3]] })), "crossing");
  assert.equal(maskProblem(draft({ points: [[0.2, 0.2], [0.6, 0.6], [0.6, 0.2], [0.2, 0.6]] })), "crossing");
  assert.equal(maskProblem(draft({ preset: "255" })), null);
  assert.equal(maskProblem(draft({ preset: "0" })), null);
  assert.equal(maskProblem(draft({ preset: "256" })), "preset");
  assert.equal(maskProblem(draft({ preset: "1.5" })), "preset");
  assert.equal(maskProblem(draft({ preset: "07" })), "preset");
});

test("a click near the first corner closes an outline of three corners or more", () => {
  const three: Point[] = [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]];
  // On a 1000 × 500 picture, 0.005 of the width is 5 px: near enough; 0.02 is 20 px: not.
  assert.equal(closesOutline(three, [0.105, 0.1], 1000, 500), true);
  assert.equal(closesOutline(three, [0.12, 0.1], 1000, 500), false);
  assert.equal(closesOutline(three.slice(0, 2), [0.1, 0.1], 1000, 500), false);
});

test("the server's masks become drafts and go back as the PUT takes them", () => {
  const drafts = fromServer([
    { label: "窗户", points: [[0.1, 0.1], [0.3, 0.1], [0.3, 0.3]], permanent: true, preset: 3 },
    { label: "门", points: [[0.5, 0.5], [0.7, 0.5], [0.7, 0.7]], permanent: false, preset: null },
  ]);
  assert.deepEqual(drafts.map((d) => [d.key, d.preset, d.permanent]), [["mask-1", "3", true], ["mask-2", "", false]]);
  const body = masksBody([{ ...drafts[0], label: "  窗户  " }, drafts[1]]);
  assert.deepEqual(body, {
    masks: [
      { label: "窗户", points: [[0.1, 0.1], [0.3, 0.1], [0.3, 0.3]], permanent: true, preset: 3 },
      { label: "门", points: [[0.5, 0.5], [0.7, 0.5], [0.7, 0.7]], permanent: false, preset: null },
    ],
  });
  assert.equal(nextKey(drafts), "mask-3");
  assert.equal(nextKey([{ ...drafts[0], key: "mask-2" }]), "mask-3");
});

function request(id: number, state: Approval["state"], kind = "unmask", channel = "340200"): Approval {
  return anApproval({
    id,
    kind,
    state,
    channel_id: channel,
    created_at: "2026-03-01T10:00:00Z",
    decided_by: state === "pending" ? null : "boss",
  });
}

test("only the caller's approved unmask requests for the channel stand, newest first", () => {
  const all = [
    request(1, "approved"),
    request(4, "approved"),
    request(2, "approved", "export"),
    request(3, "approved", "unmask", "999"),
    request(5, "revoked"),
    request(6, "expired"),
    request(7, "pending"),
    request(8, "pending"),
  ];
  assert.deepEqual(unmaskGrants(all, "340200").map((r) => r.id), [4, 1]);
  assert.deepEqual(pendingUnmasks(all, "340200").map((r) => r.id), [8, 7]);
  assert.deepEqual(unmaskGrants(all, "nope"), []);
});

test("a live view asks for no unmask unless given one; the case only when there is one", () => {
  assert.deepEqual(liveBody(null), {});
  assert.deepEqual(liveBody({ approval: 9, purpose: { purpose: "核查", caseNumber: null } }), {
    unmask_approval: 9,
    purpose: "核查",
  });
  assert.deepEqual(liveBody({ approval: 9, purpose: { purpose: "核查", caseNumber: "A-1" } }), {
    unmask_approval: 9,
    purpose: "核查",
    case: "A-1",
  });
  assert.deepEqual(unmaskAsk("340200", { purpose: "核查", caseNumber: null }), {
    kind: "unmask",
    channel_id: "340200",
    purpose: "核查",
    case_number: null,
  });
});

test("the masks' Chinese words have no English left in them", () => {
  for (const [key, entry] of Object.entries(MASK_STRINGS)) {
    assert.ok(!/[A-Za-z]{2,}/.test(entry.zh.replace(/\{\w+\}/g, "")), `${key}: ${entry.zh}`);
    assert.ok(entry.en.length > 0, key);
  }
});

test("a playback reopened unmasked carries the approval, with the unmask's purpose and case", () => {
  const range = { start: "2025-03-01T08:00:00.000Z", end: "2025-03-02T00:00:00.000Z", speed: 2 };
  const asked = { ...range, purpose: "回放巡查", case: "B-2" };
  assert.deepEqual(playbackBody(asked, null), asked);
  // The purpose and case stated for the unmasked view replace the page's; a case the unmask
  // does not name is not carried over from the page.
  assert.deepEqual(playbackBody(asked, { approval: 4, purpose: { purpose: "核查", caseNumber: null } }), {
    ...range,
    unmask_approval: 4,
    purpose: "核查",
  });
  assert.deepEqual(playbackBody(asked, { approval: 4, purpose: { purpose: "核查", caseNumber: "A-1" } }), {
    ...range,
    unmask_approval: 4,
    purpose: "核查",
    case: "A-1",
  });
});
