// Sharing a channel with another department (跨部门共享), as pure logic the unit tests run:
// which of the caller's own requests (审批) stand for sharing a channel — approved ones to share
// under, pending ones to wait for — the bodies of a share and of a new share request, a share's
// state in words' terms, and whether the caller may revoke it (its sharer, or a user who decides
// share requests; the server has the last word).

import type { Approval, ApprovalAsk, Share, ShareAsk } from "../api/types";
import type { Purpose } from "../playback/purpose";

function shareOf(request: Approval, channelId: string): boolean {
  return request.kind === "share" && request.channel_id === channelId;
}

/** The caller's approved share requests for the channel, newest first. */
export function shareGrants(requests: Approval[], channelId: string): Approval[] {
  return requests.filter((r) => shareOf(r, channelId) && r.state === "approved").sort((a, b) => b.id - a.id);
}

/** The caller's pending share requests for the channel, newest first. */
export function pendingShares(requests: Approval[], channelId: string): Approval[] {
  return requests.filter((r) => shareOf(r, channelId) && r.state === "pending").sort((a, b) => b.id - a.id);
}

/** The body of POST /approvals asking to share `channelId` for `why`. */
export function shareRequest(channelId: string, why: Purpose): ApprovalAsk {
  return { kind: "share", channel_id: channelId, purpose: why.purpose, case_number: why.caseNumber };
}

/** The body of POST /channels/{id}/shares: the organisation, the approval and why. */
export function shareBody(organisationId: string, approvalId: number, why: Purpose): ShareAsk {
  const body: ShareAsk = { organisation_id: organisationId, approval_id: approvalId, purpose: why.purpose };
  return why.caseNumber ? { ...body, case: why.caseNumber } : body;
}

export type ShareState = "inForce" | "revoked" | "ended";

/** In force; revoked (the share itself); or ended with its approval (expired or revoked). */
export function shareState(share: Share): ShareState {
  if (share.in_force) return "inForce";
  return share.revoked_at ? "revoked" : "ended";
}

/** Whether the revoke button is offered: on a share in force, to its sharer or to a user who
 * decides share requests. */
export function mayRevoke(share: Share, username: string | undefined, decides: boolean): boolean {
  return share.in_force && (decides || share.shared_by === username);
}

/** The query of GET /shares: in force only, or with the ended ones. */
export function sharesPath(ended: boolean): string {
  return ended ? "/shares?ended=true" : "/shares";
}
