// Which of the caller's export requests stands for a range: pure logic, kept apart from the
// form so the unit tests run it. A request covers a range when it is for the channel and its
// range holds the whole of the one asked for; it stands for an export only when it was asked for
// the same purpose and case (they go into the audit record and the package); an approved one is
// preferred to a pending one (and a newer to an older), and one rejected, revoked or expired
// stands for nothing new.

import type { Approval } from "../api/types";
import type { Purpose } from "../playback/purpose";

export interface Span {
  start: number;
  end: number;
}

/** Whether `request` is an export of `channelId` whose range holds `range` (ms since epoch). */
export function covers(request: Approval, channelId: string, range: Span): boolean {
  if (request.kind !== "export" || request.channel_id !== channelId) return false;
  if (!request.start || !request.end) return false;
  return Date.parse(request.start) <= range.start && range.end <= Date.parse(request.end);
}

const RANK: Record<string, number> = { approved: 2, pending: 1 };

/** Whether `request` was asked for the purpose and case of `why`. */
export function sameReason(request: Approval, why: Purpose): boolean {
  return request.purpose === why.purpose && (request.case_number ?? null) === why.caseNumber;
}

/** The caller's request to use for `range` and `why`: approved before pending, newest first;
 *  null if none. */
export function standingRequest(
  requests: Approval[],
  channelId: string,
  range: Span,
  why: Purpose,
): Approval | null {
  let best: Approval | null = null;
  for (const request of requests) {
    const rank = RANK[request.state] ?? 0;
    if (rank === 0 || !covers(request, channelId, range) || !sameReason(request, why)) continue;
    const bestRank = best ? RANK[best.state] : 0;
    if (!best || rank > bestRank || (rank === bestRank && request.id > best.id)) best = request;
  }
  return best;
}

/** Whether `request` lets its holder export now: approved (the server says expired once past). */
export function usable(request: Approval | null): boolean {
  return request?.state === "approved";
}
