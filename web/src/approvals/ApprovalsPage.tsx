// 审批: the requests the caller may decide (others' export, unmask and share requests in scope),
// counted by state, with approve / reject (with a note) for a pending one and revoke for an
// approved one; and the caller's own requests. GET /approvals?state=&mine=, POST
// /approvals/{id}/approve|reject|revoke {note}. The server refuses anyone deciding their own.

import { useState } from "react";
import { api } from "../api/client";
import { APPROVAL_STATES } from "../api/types";
import type { Approval, ApprovalState } from "../api/types";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { ApprovalTable } from "./ApprovalTable";
import { approvalsChanged, inboxPath, useInbox } from "./useApprovals";

type Move = "approve" | "reject" | "revoke";

/** A pending request's approve and reject, an approved one's revoke, with the note typed. */
function Decide({ row, onMove }: { row: Approval; onMove: (row: Approval, move: Move, note: string) => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState("");
  const moves: Move[] = row.state === "pending" ? ["approve", "reject"] : row.state === "approved" ? ["revoke"] : [];
  if (moves.length === 0) return "—";
  return (
    <span className="decide">
      <input
        name="note"
        value={note}
        maxLength={500}
        placeholder={t("approvals.note")}
        aria-label={t("approvals.note")}
        onChange={(e) => setNote(e.target.value)}
      />
      {moves.map((move) => (
        <button key={move} type="button" className={move === "approve" ? undefined : "danger"} onClick={() => onMove(row, move, note)}>
          {t(`approvals.${move}`)}
        </button>
      ))}
    </span>
  );
}

export function ApprovalsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [state, setState] = useState<ApprovalState | null>("pending");
  const [status, setStatus] = useState<string | null>(null);
  const decider = can("approvals:decide");
  const inbox = useInbox(inboxPath(false, state));
  const mine = useInbox(inboxPath(true, null));

  const move = (row: Approval, action: Move, note: string) => {
    setStatus(null);
    api<Approval>(`/approvals/${row.id}/${action}`, { json: { note: note.trim() || null } }).then(
      (moved) => {
        setStatus(t("approvals.moved", { id: moved.id, state: t(`approvals.state.${moved.state}`) }));
        approvalsChanged();
      },
      (failure: unknown) => setStatus(problemText(t, failure)),
    );
  };

  const counts = inbox.inbox?.counts ?? {};
  const total = APPROVAL_STATES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  const tab = (value: ApprovalState | null, label: string, count: number) => (
    <button key={value ?? "all"} type="button" aria-pressed={state === value} data-state={value ?? "all"} data-count={count} onClick={() => setState(value)}>
      {label} <span className="state-count">{count}</span>
    </button>
  );

  return (
    <section className="page approvals-page" aria-labelledby="approvals-title">
      <h2 id="approvals-title">{t("approvals.title")}</h2>
      <p className="muted">{t("approvals.hint")}</p>
      {status && <p role="status">{status}</p>}
      {decider && (
        <>
          <h3>{t("approvals.inbox")}</h3>
          <div className="toolbar" role="group" aria-label={t("approvals.byState")} data-testid="approval-counts">
            {APPROVAL_STATES.map((s) => tab(s, t(`approvals.state.${s}`), counts[s] ?? 0))}
            {tab(null, t("approvals.all"), total)}
          </div>
          <ApprovalTable list={inbox} testId="approval-inbox" empty={t("approvals.none")} actions={(row) => <Decide row={row} onMove={move} />} />
        </>
      )}
      <h3>{t("approvals.mine")}</h3>
      <ApprovalTable list={mine} testId="approval-mine" empty={t("approvals.noneMine")} />
    </section>
  );
}
