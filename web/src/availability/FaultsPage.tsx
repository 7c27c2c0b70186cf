// Picture faults found by video quality diagnosis: the open ones and the history, of every
// channel in scope or of one, newest first, with the evidence frame each was raised with.

import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Page } from "../api/types";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { DataTable } from "../components/DataTable";
import type { Column } from "../components/DataTable";
import { Field } from "../components/Field";
import { pageQuery, pagedRows, useCursorList } from "../components/cursorList";
import { useCatalogLists } from "../tree/catalog";
import { ChannelChecks } from "./ChannelChecks";
import { Evidence } from "./Evidence";
import { hours } from "./period";
import { StateSelect } from "./StateSelect";
import type { OpenState as State } from "./StateSelect";
import type { Fault } from "./types";
import "./availability.css";

interface Filter {
  channel: string;
  state: State;
}

const PAGE = 100;

function params(filter: Filter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.channel) params.set("channel", filter.channel);
  if (filter.state !== "all") params.set("open", String(filter.state === "open"));
  return params;
}

export function FaultsPage() {
  const { t, time } = useI18n();
  const { can } = useSession();
  const { channels } = useCatalogLists("channel");
  const [draft, setDraft] = useState<Filter>({ channel: "", state: "open" });
  const [applied, setApplied] = useState<Filter>(draft);
  const faults = useCursorList((cursor) => api<Page<Fault>>(`/faults?${pageQuery(params(applied), PAGE, cursor)}`), [applied]);
  const [shown, setShown] = useState<Fault | null>(null);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setShown(null);
    setApplied({ ...draft });
  };
  const nameOf = (id: string) => channels.get(id)?.name ?? id;
  const sortedChannels = [...channels.values()].sort((a, b) => a.id.localeCompare(b.id));
  const columns: Column<Fault>[] = [
    { key: "id", header: "#", className: "mono", cell: (f) => f.id },
    { key: "channel", header: t("faults.channel"), cell: (f) => `${nameOf(f.channel_id)}（${f.channel_id}）` },
    { key: "kind", header: t("faults.kind"), cellProps: (f) => ({ "data-kind": f.kind }), cell: (f) => t(`fault.${f.kind}`) },
    { key: "score", header: t("faults.score"), cell: (f) => `${f.score.toFixed(2)} / ${f.threshold.toFixed(2)}` },
    { key: "opened", header: t("faults.opened"), cell: (f) => time(f.opened_at) },
    {
      key: "closed",
      header: t("faults.closed"),
      className: (f) => (f.closed_at ? "" : "fault-open"),
      cell: (f) => (f.closed_at ? time(f.closed_at) : t("faults.stillOpen")),
    },
    { key: "hours", header: t("faults.hours"), cell: (f) => hours(openHours(f)) },
    {
      key: "evidence",
      header: t("faults.evidence"),
      cell: (f) =>
        f.evidence_url && can("video:live") ? (
          <button type="button" onClick={() => setShown(f)} aria-label={t("faults.showEvidenceOf", { id: f.id })}>
            {t("faults.showEvidence")}
          </button>
        ) : (
          "—"
        ),
    },
  ];

  return (
    <section className="page availability-page" aria-labelledby="faults-title">
      <h2 id="faults-title">{t("faults.title")}</h2>
      <form className="form grid-form filters" onSubmit={apply} aria-label={t("audit.filter")}>
        <Field label={t("faults.channel")}>
          <select name="channel" aria-label={t("faults.channel")} value={draft.channel} onChange={(e) => setDraft((d) => ({ ...d, channel: e.target.value }))}>
            <option value="">{t("faults.allChannels")}</option>
            {sortedChannels.map((c) => (
              <option key={c.id} value={c.id}>{`${c.name}（${c.id}）`}</option>
            ))}
          </select>
        </Field>
        <StateSelect value={draft.state} onChange={(state) => setDraft((d) => ({ ...d, state }))} words="faults.state" />
        <button type="submit" className="primary">{t("audit.apply")}</button>
      </form>
      {applied.channel && (
        <ChannelChecks
          channelId={applied.channel}
          ptzType={channels.get(applied.channel)?.ptz_type ?? null}
          onDone={faults.reload}
        />
      )}
      {faults.error != null && <p className="error" role="alert">{t("error.withDetail", { detail: problemText(t, faults.error) })}</p>}
      {shown && <Evidence fault={shown} channelName={nameOf(shown.channel_id)} onClose={() => setShown(null)} />}
      <DataTable
        className="table figures"
        testId="faults"
        columns={columns}
        rowKey={(f) => f.id}
        rowProps={(f) => ({ "data-fault": f.id, "data-channel": f.channel_id })}
        empty={t("faults.none")}
        {...pagedRows(faults, t("audit.more"))}
      />
    </section>
  );
}

/** How long a fault has been open, or was, in hours. */
function openHours(fault: Fault): number {
  const end = fault.closed_at ? new Date(fault.closed_at) : new Date();
  return (end.getTime() - new Date(fault.opened_at).getTime()) / 3_600_000;
}
