// A table of approval requests: what, which camera and range, why, who asked, its state and
// who decided; `actions` adds the deciding column (the inbox), none for the caller's own. The
// list is the one useInbox reads: while it loads the table says so, and its failure shows above.

import type { ReactNode } from "react";
import type { Approval } from "../api/types";
import { DataTable } from "../components/DataTable";
import type { Column } from "../components/DataTable";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { useCatalog } from "../tree/catalog";
import type { Inbox } from "./useApprovals";

interface Props {
  list: Inbox;
  testId: string;
  empty: string;
  actions?: (row: Approval) => ReactNode;
}

/** Who decided (and who revoked), with their notes; user names kept as recorded. */
function Decided({ row }: { row: Approval }) {
  const { t } = useI18n();
  if (!row.decided_by) return "—";
  return (
    <>
      <span translate="no">{row.decided_by}</span>
      {row.decision_note ? `：${row.decision_note}` : ""}
      {row.revoked_by && (
        <>
          {" · "}
          {t("approvals.revokedBy")} <span translate="no">{row.revoked_by}</span>
          {row.revoke_note ? `：${row.revoke_note}` : ""}
        </>
      )}
    </>
  );
}

export function ApprovalTable({ list, testId, empty, actions }: Props) {
  const { t, time } = useI18n();
  const { channels } = useCatalog();
  const columns: Column<Approval>[] = [
    { key: "id", header: t("approvals.id"), cell: (r) => r.id, rowHeader: true },
    { key: "kind", header: t("approvals.kind"), cell: (r) => t(`approvals.kind.${r.kind === "export" ? "export" : r.kind === "share" ? "share" : "unmask"}`) },
    { key: "channel", header: t("approvals.channel"), cell: (r) => channels.get(r.channel_id)?.name ?? r.channel_id },
    { key: "range", header: t("approvals.range"), cell: (r) => (r.start && r.end ? `${time(r.start)} – ${time(r.end)}` : "—") },
    { key: "purpose", header: t("approvals.purpose"), cell: (r) => r.purpose },
    { key: "case", header: t("approvals.case"), cell: (r) => r.case_number ?? "—" },
    { key: "requester", header: t("approvals.requester"), cell: (r) => <span translate="no">{r.requester}</span> },
    { key: "created", header: t("approvals.created"), cell: (r) => time(r.created_at) },
    {
      key: "state",
      header: t("approvals.stateColumn"),
      cell: (r) => t(`approvals.state.${r.state}`),
      cellProps: (r) => ({ "data-state": r.state }),
    },
    { key: "decided", header: t("approvals.decided"), cell: (r) => <Decided row={r} /> },
    { key: "expires", header: t("approvals.expires"), cell: (r) => (r.expires_at ? time(r.expires_at) : "—") },
  ];
  if (actions) columns.push({ key: "actions", header: t("approvals.actions"), cell: actions });
  return (
    <>
      {list.error !== null && <p className="error" role="alert">{problemText(t, list.error)}</p>}
      <DataTable
        columns={columns}
        rows={list.inbox?.items ?? []}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ "data-approval": r.id, "data-state": r.state })}
        testId={testId}
        empty={empty}
        loading={!list.inbox && list.error === null}
      />
    </>
  );
}
