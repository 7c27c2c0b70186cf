// Loading a list of approval requests (the inbox, or the caller's own), and telling the menu's
// badge when one changed here, so its pending count follows without waiting for its poll.

import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import type { ApprovalInbox, ApprovalState } from "../api/types";

export const APPROVALS_CHANGED = "vigil:approvals";

/** Tell every listener (the badge, the other list) that a request changed. */
export function approvalsChanged(): void {
  window.dispatchEvent(new Event(APPROVALS_CHANGED));
}

/** The query of one list: the inbox (`mine` false) or the caller's own, in `state` or all. */
export function inboxPath(mine: boolean, state: ApprovalState | null, limit = 100): string {
  const query = new URLSearchParams({ limit: String(limit) });
  if (mine) query.set("mine", "true");
  if (state) query.set("state", state);
  return `/approvals?${query}`;
}

/** A list of requests as read: null until it comes; the failure that stopped it, else null. */
export interface Inbox {
  inbox: ApprovalInbox | null;
  error: unknown;
}

/** The list at `path`, reloaded on `approvalsChanged()`; its failure, and a reload. */
export function useInbox(path: string): Inbox & { reload: () => void } {
  const [inbox, setInbox] = useState<ApprovalInbox | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  useEffect(() => {
    let alive = true;
    api<ApprovalInbox>(path).then(
      (found) => alive && (setInbox(found), setError(null)),
      (failure: unknown) => alive && setError(failure),
    );
    return () => {
      alive = false;
    };
  }, [path, round]);
  useEffect(() => {
    window.addEventListener(APPROVALS_CHANGED, reload);
    return () => window.removeEventListener(APPROVALS_CHANGED, reload);
  }, [reload]);
  return { inbox, error, reload };
}
