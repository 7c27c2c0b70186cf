// Seeing a masked channel unmasked, as pure logic the unit tests run: which of the caller's own
// requests (审批) stand for the channel — approved ones to watch under, pending ones to wait
// for — and the bodies of the live view, of a playback and of a new unmask request.

import type { Approval, ApprovalAsk, LiveOpen, PlaybackOpen } from "../api/types";
import type { Purpose } from "../playback/purpose";

/** A live view or playback asked for unmasked: under which approved request, and why. */
export interface Unmask {
  approval: number;
  purpose: Purpose;
}

function unmaskOf(request: Approval, channelId: string): boolean {
  return request.kind === "unmask" && request.channel_id === channelId;
}

/** The caller's approved unmask requests for the channel, newest first. */
export function unmaskGrants(requests: Approval[], channelId: string): Approval[] {
  return requests
    .filter((r) => unmaskOf(r, channelId) && r.state === "approved")
    .sort((a, b) => b.id - a.id);
}

/** The caller's pending unmask requests for the channel, newest first. */
export function pendingUnmasks(requests: Approval[], channelId: string): Approval[] {
  return requests
    .filter((r) => unmaskOf(r, channelId) && r.state === "pending")
    .sort((a, b) => b.id - a.id);
}

/** The body of POST /channels/{id}/live: none for the view everyone gets (masked), the approval
 * with the purpose (and case) for an unmasked one. */
export function liveBody(unmask: Unmask | null): LiveOpen {
  if (!unmask) return {};
  const { purpose, caseNumber } = unmask.purpose;
  return caseNumber
    ? { unmask_approval: unmask.approval, purpose, case: caseNumber }
    : { unmask_approval: unmask.approval, purpose };
}

/** The body of POST /channels/{id}/playback: the page's request as it is, or, unmasked, under
 * the approval with the purpose (and case) stated for the unmasked view in place of the page's
 * (the server audits the playback and the unmask with them). */
export function playbackBody(request: PlaybackOpen, unmask: Unmask | null): PlaybackOpen {
  if (!unmask) return request;
  const { case: _pageCase, purpose: _pagePurpose, ...range } = request;
  return { ...range, ...liveBody(unmask) };
}

/** The body of POST /approvals asking to see `channelId` unmasked for `why`. */
export function unmaskAsk(channelId: string, why: Purpose): ApprovalAsk {
  return { kind: "unmask", channel_id: channelId, purpose: why.purpose, case_number: why.caseNumber };
}
