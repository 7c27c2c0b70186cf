// The audit log for auditors: filter by user, channel, action and time; newest pages on demand.
// Actions, outcomes and the details that matter are in words (auditWords.ts); names, addresses
// and resources are data, kept as recorded, and so is the signed record behind each row.

import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { AuditRecord, Page } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { Field } from "../manage/Field";
import { STRINGS } from "../i18n/strings";
import { actionWord, detailWords, outcomeWord } from "./auditWords";

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

function query(filter: Filter, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(PAGE) });
  for (const key of ["actor", "action", "channel_id"] as const) {
    if (filter[key].trim()) params.set(key, filter[key].trim());
  }
  if (filter.since) params.set("since", new Date(filter.since).toISOString());
  if (filter.until) params.set("until", new Date(filter.until).toISOString());
  if (cursor) params.set("cursor", cursor);
  return `/audit?${params}`;
}

export function AuditPage() {
  const { t, time } = useI18n();
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [applied, setApplied] = useState<Filter>(EMPTY);
  const [records, setRecords] = useState<AuditRecord[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (filter: Filter, cursor: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api<Page<AuditRecord>>(query(filter, cursor));
      setRecords((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNext(page.next);
    } catch (failure) {
      setError(problemText(t, failure));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load(applied, null);
  }, [applied]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied({ ...draft });
  };
  const set = (key: keyof Filter) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <section className="page" aria-labelledby="audit-title">
      <h2 id="audit-title">{t("audit.title")}</h2>
      <form className="form grid-form filters" onSubmit={apply} aria-label={t("audit.filter")}>
        <Field label={t("audit.actor")} name="actor" value={draft.actor} onChange={set("actor")} />
        <Field label={t("audit.action")}>
          <select name="action" value={draft.action} onChange={set("action")} aria-label={t("audit.action")}>
            <option value="">{t("audit.allActions")}</option>
            {ACTIONS.map((action) => (
              <option key={action} value={action}>{actionWord(t, action)}</option>
            ))}
          </select>
        </Field>
        <Field label={t("audit.channel")} name="channel_id" value={draft.channel_id} onChange={set("channel_id")} inputMode="numeric" />
        <Field label={t("audit.since")} name="since" type="datetime-local" value={draft.since} onChange={set("since")} />
        <Field label={t("audit.until")} name="until" type="datetime-local" value={draft.until} onChange={set("until")} />
        <button type="submit" className="primary">{t("audit.apply")}</button>
        <button type="button" onClick={() => { setDraft(EMPTY); setApplied(EMPTY); }}>{t("audit.reset")}</button>
      </form>
      {error && <p className="error" role="alert">{t("error.withDetail", { detail: error })}</p>}
      <table className="table audit-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t("audit.at")}</th>
            <th scope="col">{t("audit.actor")}</th>
            <th scope="col">{t("audit.action")}</th>
            <th scope="col">{t("audit.resource")}</th>
            <th scope="col">{t("audit.channel")}</th>
            <th scope="col">{t("audit.source")}</th>
            <th scope="col">{t("audit.outcome")}</th>
            <th scope="col">{t("audit.detail")}</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.seq} data-actor={r.actor} data-action={r.action}>
              <td className="mono">{r.seq}</td>
              <td><time dateTime={r.at}>{time(r.at)}</time></td>
              <td translate="no">{r.actor}</td>
              <td>{actionWord(t, r.action)}</td>
              <td className="mono" translate="no">{r.resource}</td>
              <td className="mono">{r.channel_id ?? "—"}</td>
              <td className="mono" translate="no">{r.source ?? "—"}</td>
              <td className={r.outcome === "ok" ? "" : "outcome-bad"} data-outcome={r.outcome}>{outcomeWord(t, r.outcome)}</td>
              <td className="audit-detail">
                {detailWords(t, r).map((line) => (
                  <div key={line}>{line}</div>
                ))}
                <details>
                  <summary>{t("audit.raw")}</summary>
                  <code translate="no">{`${r.action} · ${r.outcome} · ${r.detail}`}</code>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && !records.length && <p className="muted">{t("audit.none")}</p>}
      {next && (
        <button type="button" onClick={() => void load(applied, next)} disabled={loading}>
          {t("audit.more")}
        </button>
      )}
    </section>
  );
}
