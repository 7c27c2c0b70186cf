// The audit log for auditors: filter by user, channel, action and time; newest pages on demand.
// Actions, outcomes and the details that matter are in words (auditWords.ts); names, addresses
// and resources are data, kept as recorded, and so is the signed record behind each row. Each
// row opens its proof (证明): the record's inclusion in the signed Merkle log, checked in the
// browser (ProofPanel.tsx).

import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { AuditRecord, Page } from "../api/types";
import { pageQuery, pagedRows, useCursorList } from "../components/cursorList";
import { ChoiceSelect } from "../components/ChoiceSelect";
import { DataTable } from "../components/DataTable";
import type { Column } from "../components/DataTable";
import { Field } from "../components/Field";
import { PeriodPicker } from "../components/PeriodPicker";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { STRINGS } from "../i18n/strings";
import { actionWord, detailWords, outcomeWord } from "./auditWords";
import { ProofPanel } from "./ProofPanel";

interface Filter {
  actor: string;
  action: string;
  channel_id: string;
  since: string;
  until: string;
}

const EMPTY: Filter = { actor: "", action: "", channel_id: "", since: "", until: "" };
const PAGE = 100;
const ACTION_PREFIX = "audit.action.";
/** The actions the console has words for, to filter by (the filter matches the code exactly). */
const ACTIONS = Object.keys(STRINGS)
  .filter((key) => key.startsWith(ACTION_PREFIX) && !["other", "cascade"].includes(key.slice(ACTION_PREFIX.length)))
  .map((key) => key.slice(ACTION_PREFIX.length));

function params(filter: Filter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["actor", "action", "channel_id"] as const) {
    if (filter[key].trim()) params.set(key, filter[key].trim());
  }
  if (filter.since) params.set("since", new Date(filter.since).toISOString());
  if (filter.until) params.set("until", new Date(filter.until).toISOString());
  return params;
}

export function AuditPage() {
  const { t, time } = useI18n();
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [applied, setApplied] = useState<Filter>(EMPTY);
  const [proofOf, setProofOf] = useState<AuditRecord | null>(null);
  const records = useCursorList(
    (cursor) => api<Page<AuditRecord>>(`/audit?${pageQuery(params(applied), PAGE, cursor)}`),
    [applied],
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied({ ...draft });
  };
  const set = (key: keyof Filter) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const columns: Column<AuditRecord>[] = [
    { key: "seq", header: "#", className: "mono", cell: (r) => r.seq },
    { key: "at", header: t("audit.at"), cell: (r) => <time dateTime={r.at}>{time(r.at)}</time> },
    { key: "actor", header: t("audit.actor"), cellProps: () => ({ translate: "no" }), cell: (r) => r.actor },
    { key: "action", header: t("audit.action"), cell: (r) => actionWord(t, r.action) },
    { key: "resource", header: t("audit.resource"), className: "mono", cellProps: () => ({ translate: "no" }), cell: (r) => r.resource },
    { key: "channel", header: t("audit.channel"), className: "mono", cell: (r) => r.channel_id ?? "—" },
    { key: "source", header: t("audit.source"), className: "mono", cellProps: () => ({ translate: "no" }), cell: (r) => r.source ?? "—" },
    {
      key: "outcome",
      header: t("audit.outcome"),
      className: (r) => (r.outcome === "ok" ? "" : "outcome-bad"),
      cellProps: (r) => ({ "data-outcome": r.outcome }),
      cell: (r) => outcomeWord(t, r.outcome),
    },
    { key: "detail", header: t("audit.detail"), className: "audit-detail", cell: (r) => <Detail record={r} /> },
    {
      key: "proof",
      header: t("proof.column"),
      cell: (r) => (
        <button
          type="button"
          onClick={() => setProofOf(r)}
          aria-label={t("proof.openOf", { seq: r.seq })}
          aria-pressed={proofOf?.seq === r.seq}
        >
          {t("proof.open")}
        </button>
      ),
    },
  ];

  return (
    <section className="page" aria-labelledby="audit-title">
      <h2 id="audit-title">{t("audit.title")}</h2>
      <form className="form grid-form filters" onSubmit={apply} aria-label={t("audit.filter")}>
        <Field label={t("audit.actor")} name="actor" value={draft.actor} onChange={set("actor")} />
        <ChoiceSelect label={t("audit.action")} name="action" choices={ACTIONS} word={(action) => actionWord(t, action)} value={draft.action} onChange={(action) => setDraft((d) => ({ ...d, action }))} none={t("audit.allActions")} />
        <Field label={t("audit.channel")} name="channel_id" value={draft.channel_id} onChange={set("channel_id")} inputMode="numeric" />
        <PeriodPicker
          type="datetime-local"
          labels={[t("audit.since"), t("audit.until")]}
          names={["since", "until"]}
          value={{ from: draft.since, to: draft.until }}
          onChange={(period) => setDraft((d) => ({ ...d, since: period.from, until: period.to }))}
        />
        <button type="submit" className="primary">{t("audit.apply")}</button>
        <button type="button" onClick={() => { setDraft(EMPTY); setApplied(EMPTY); }}>{t("audit.reset")}</button>
      </form>
      {records.error != null && <p className="error" role="alert">{t("error.withDetail", { detail: problemText(t, records.error) })}</p>}
      {proofOf && <ProofPanel record={proofOf} onClose={() => setProofOf(null)} />}
      <DataTable
        className="table audit-table"
        columns={columns}
        rowKey={(r) => r.seq}
        rowProps={(r) => ({ "data-seq": r.seq, "data-actor": r.actor, "data-action": r.action })}
        empty={t("audit.none")}
        {...pagedRows(records, t("audit.more"))}
      />
    </section>
  );
}

/** What the record says in words, and the signed record behind them. */
function Detail({ record }: { record: AuditRecord }) {
  const { t } = useI18n();
  return (
    <>
      {detailWords(t, record).map((line) => (
        <div key={line}>{line}</div>
      ))}
      <details>
        <summary>{t("audit.raw")}</summary>
        <code translate="no">{`${record.action} · ${record.outcome} · ${record.detail}`}</code>
      </details>
    </>
  );
}
