// One approval request as the API answers it, for the console's unit tests: every field empty
// but those a test names.

import type { Approval } from "../src/api/types";

export function anApproval(fields: Pick<Approval, "id" | "kind" | "state" | "channel_id"> & Partial<Approval>): Approval {
  return {
    start: null,
    end: null,
    purpose: `p${fields.id}`,
    case_number: null,
    requester: "me",
    created_at: "2026-03-01T10:00:00+00:00",
    decided_by: null,
    decided_at: null,
    decision_note: null,
    expires_at: null,
    revoked_by: null,
    revoked_at: null,
    revoke_note: null,
    ...fields,
  };
}
