// Sharing a channel with another department: which of the caller's requests stand for it, the
// bodies sent, a share's state and who is offered its revoke; pure logic, run by `npm test`.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Approval, Share } from "../src/api/types";
import { mayRevoke, pendingShares, shareBody, shareGrants, shareRequest, shareState, sharesPath } from "../src/shares/shareModel";
import { anApproval } from "./approvalFixture";

const CHANNEL = "34010400001320000002";

function request(id: number, state: Approval["state"], kind = "share", channel = CHANNEL): Approval {
  return anApproval({ id, kind, state, channel_id: channel });
}

function share(changes: Partial<Share> = {}): Share {
  return {
    id: 7,
    channel_id: CHANNEL,
    organisation_id: "3499",
    organisation_name: "交警总队",
    approval_id: 3,
    approver: "admin",
    purpose: "联合行动",
    case_number: null,
    shared_by: "city-operator",
    created_at: "2026-03-01T10:00:00+00:00",
    until: "2026-03-01T18:00:00+00:00",
    in_force: true,
    revoked_by: null,
    revoked_at: null,
    ...changes,
  };
}

test("the grants are the approved share requests of the channel, newest first", () => {
  const requests = [
    request(1, "approved"),
    request(4, "approved"),
    request(2, "pending"),
    request(3, "approved", "unmask"),
    request(5, "approved", "share", "34010400001320000003"),
    request(6, "revoked"),
    request(8, "pending"),
  ];
  assert.deepEqual(shareGrants(requests, CHANNEL).map((r) => r.id), [4, 1]);
  assert.deepEqual(pendingShares(requests, CHANNEL).map((r) => r.id), [8, 2]);
  assert.deepEqual(shareGrants(requests, "nothing"), []);
});

test("a share request and a share carry the purpose, and the case only when there is one", () => {
  assert.deepEqual(shareRequest(CHANNEL, { purpose: "联合行动", caseNumber: null }), {
    kind: "share",
    channel_id: CHANNEL,
    purpose: "联合行动",
    case_number: null,
  });
  assert.deepEqual(shareBody("3499", 3, { purpose: "联合行动", caseNumber: null }), {
    organisation_id: "3499",
    approval_id: 3,
    purpose: "联合行动",
  });
  assert.deepEqual(shareBody("3499", 3, { purpose: "联合行动", caseNumber: "案-1" }), {
    organisation_id: "3499",
    approval_id: 3,
    purpose: "联合行动",
    case: "案-1",
  });
});

test("a share is in force, revoked, or ended with its approval", () => {
  assert.equal(shareState(share()), "inForce");
  assert.equal(shareState(share({ in_force: false, revoked_by: "x", revoked_at: "2026-03-01T11:00:00+00:00" })), "revoked");
  assert.equal(shareState(share({ in_force: false })), "ended");
});

test("the revoke is offered on a share in force to its sharer and to a decider only", () => {
  assert.equal(mayRevoke(share(), "city-operator", false), true);
  assert.equal(mayRevoke(share(), "someone-else", false), false);
  assert.equal(mayRevoke(share(), "someone-else", true), true);
  assert.equal(mayRevoke(share(), undefined, false), false);
  assert.equal(mayRevoke(share({ in_force: false }), "city-operator", true), false);
});

test("the list asks for ended shares only when told to", () => {
  assert.equal(sharesPath(false), "/shares");
  assert.equal(sharesPath(true), "/shares?ended=true");
});
