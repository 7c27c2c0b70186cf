// The shares the caller sees: which channel is lent to which organisation, by whom, approved by
// whom, why, until when, and whether it is still in force; a revoke (asked first) on a share in
// force for its sharer and for users who decide share requests.

import type { Share } from "../api/types";
import { ConfirmButton } from "../components/ConfirmButton";
import { DataTable } from "../components/DataTable";
import type { Column } from "../components/DataTable";
import { useI18n } from "../i18n/I18n";
import { useCatalog } from "../tree/catalog";
import { shareState } from "./shareModel";

interface Props {
  rows: Share[];
  loading: boolean;
  empty: string;
  /** Whether the caller is offered the revoke of `share`. */
  mayRevoke: (share: Share) => boolean;
  onRevoke: (share: Share) => unknown;
}

/** In force, revoked (and by whom), or ended with its approval. */
function State({ share }: { share: Share }) {
  const { t } = useI18n();
  const state = shareState(share);
  return (
    <>
      {t(`shares.state.${state}`)}
      {state === "revoked" && share.revoked_by && (
        <>
          {" · "}
          {t("shares.revokedBy")} <span translate="no">{share.revoked_by}</span>
        </>
      )}
    </>
  );
}

export function ShareTable({ rows, loading, empty, mayRevoke, onRevoke }: Props) {
  const { t, time } = useI18n();
  const { channels } = useCatalog();
  const channelName = (share: Share) => channels.get(share.channel_id)?.name ?? share.channel_id;
  const columns: Column<Share>[] = [
    { key: "id", header: t("shares.id"), cell: (s) => s.id, rowHeader: true },
    { key: "channel", header: t("shares.channelColumn"), cell: (s) => channelName(s) },
    { key: "organisation", header: t("shares.organisationColumn"), cell: (s) => `${s.organisation_name}（${s.organisation_id}）` },
    { key: "sharedBy", header: t("shares.sharedBy"), cell: (s) => <span translate="no">{s.shared_by}</span> },
    { key: "approver", header: t("shares.approver"), cell: (s) => (s.approver ? <span translate="no">{s.approver}</span> : "—") },
    { key: "purpose", header: t("shares.purpose"), cell: (s) => s.purpose },
    { key: "case", header: t("shares.case"), cell: (s) => s.case_number ?? "—" },
    { key: "created", header: t("shares.created"), cell: (s) => time(s.created_at) },
    { key: "until", header: t("shares.until"), cell: (s) => (s.until ? time(s.until) : "—") },
    { key: "state", header: t("shares.state"), cell: (s) => <State share={s} />, cellProps: (s) => ({ "data-state": shareState(s) }) },
    {
      key: "actions",
      header: t("shares.actions"),
      className: "actions",
      cell: (s) =>
        mayRevoke(s) ? (
          <ConfirmButton question={t("shares.confirmRevoke", { id: s.id, channel: channelName(s), organisation: s.organisation_name })} onConfirm={() => onRevoke(s)}>
            {t("shares.revoke")}
          </ConfirmButton>
        ) : (
          "—"
        ),
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(s) => s.id}
      rowProps={(s) => ({ "data-share": s.id, "data-state": shareState(s), "data-channel": s.channel_id, "data-organisation": s.organisation_id })}
      testId="shares"
      empty={empty}
      loading={loading}
    />
  );
}
