// The purpose of viewing (checks, the tab's storage, the request fields) and which of the
// caller's export requests stands for a range: pure logic, run by `npm test`.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Approval } from "../src/api/types";
import { covers, standingRequest, usable } from "../src/approvals/grants";
import { inboxPath } from "../src/approvals/useApprovals";
import { checkPurpose, keepPurpose, keptPurpose, purposeFields } from "../src/playback/purpose";
import { anApproval } from "./approvalFixture";

test("a purpose is trimmed and required; a blank case is no case", () => {
  assert.deepEqual(checkPurpose("  巡查  ", "  "), { purpose: "巡查", caseNumber: null });
  assert.deepEqual(checkPurpose("巡查", " A-1 "), { purpose: "巡查", caseNumber: "A-1" });
  assert.equal(checkPurpose("   ", "A-1"), "purposeMissing");
});

test("a purpose over 200 characters, a case over 64 or a control character is refused", () => {
  assert.notEqual(typeof checkPurpose("字".repeat(200), "x".repeat(64)), "string");
  assert.equal(checkPurpose("字".repeat(201), ""), "purposeLong");
  assert.equal(checkPurpose("ok", "x".repeat(65)), "caseLong");
  assert.equal(checkPurpose("a\tb", ""), "control");
  assert.equal(checkPurpose("ok", "a\u007fb"), "control");
});

function memory(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
    clear: () => items.clear(),
    key: () => null,
    get length() {
      return items.size;
    },
  };
}

test("the committed purpose is kept for the tab, forgotten on null, and junk reads as none", () => {
  const storage = memory();
  assert.equal(keptPurpose(storage, "k"), null);
  keepPurpose(storage, "k", { purpose: "巡查", caseNumber: "A-1" });
  assert.deepEqual(keptPurpose(storage, "k"), { purpose: "巡查", caseNumber: "A-1" });
  keepPurpose(storage, "k", null);
  assert.equal(keptPurpose(storage, "k"), null);
  storage.setItem("k", "{not json");
  assert.equal(keptPurpose(storage, "k"), null);
  storage.setItem("k", JSON.stringify({ purpose: "   " }));
  assert.equal(keptPurpose(storage, "k"), null);
});

test("the playback request carries the case only when there is one", () => {
  assert.deepEqual(purposeFields({ purpose: "巡查", caseNumber: null }), { purpose: "巡查" });
  assert.deepEqual(purposeFields({ purpose: "巡查", caseNumber: "A-1" }), { purpose: "巡查", case: "A-1" });
});

const T = (minute: number) => Date.UTC(2026, 2, 1, 10, minute);

function request(id: number, state: Approval["state"], from = 0, to = 30, channel = "340200"): Approval {
  return anApproval({
    id,
    kind: "export",
    state,
    channel_id: channel,
    start: new Date(T(from)).toISOString(),
    end: new Date(T(to)).toISOString(),
    purpose: "p",
    created_at: new Date(T(0)).toISOString(),
  });
}

test("a request covers a range of its channel inside its own range, ends included", () => {
  const r = request(1, "approved", 0, 30);
  assert.equal(covers(r, "340200", { start: T(0), end: T(30) }), true);
  assert.equal(covers(r, "340200", { start: T(5), end: T(6) }), true);
  assert.equal(covers(r, "340200", { start: T(29), end: T(31) }), false);
  assert.equal(covers(r, "999", { start: T(5), end: T(6) }), false);
  assert.equal(covers({ ...r, kind: "share" }, "340200", { start: T(5), end: T(6) }), false);
});

test("the standing request: approved before pending, newest first; closed ones never", () => {
  const range = { start: T(5), end: T(10) };
  const pending = request(5, "pending");
  const approved = request(3, "approved");
  const newer = request(4, "approved");
  const why = { purpose: "p", caseNumber: null };
  assert.equal(standingRequest([pending, approved, newer], "340200", range, why), newer);
  assert.equal(standingRequest([pending, request(6, "rejected")], "340200", range, why), pending);
  assert.equal(standingRequest([request(7, "expired"), request(8, "revoked")], "340200", range, why), null);
  assert.equal(standingRequest([request(9, "approved", 20, 30)], "340200", range, why), null);
  // A request asked for another purpose or case stands for nothing here.
  assert.equal(standingRequest([newer], "340200", range, { purpose: "q", caseNumber: null }), null);
  assert.equal(standingRequest([newer], "340200", range, { purpose: "p", caseNumber: "C-1" }), null);
  assert.equal(usable(newer), true);
  assert.equal(usable(pending), false);
  assert.equal(usable(null), false);
});

test("the inbox and the caller's own requests are asked for by query", () => {
  assert.equal(inboxPath(false, "pending", 1), "/approvals?limit=1&state=pending");
  assert.equal(inboxPath(true, null), "/approvals?limit=100&mine=true");
});
