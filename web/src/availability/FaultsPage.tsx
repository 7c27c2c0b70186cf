// Picture faults found by video quality diagnosis: the open ones and the history, of every
// channel in scope or of one, newest first, with the evidence frame each was raised with.

import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Page } from "../api/types";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { Field } from "../manage/Field";
import { useCatalogLists } from "../tree/catalog";
import { ChannelChecks } from "./ChannelChecks";
import { Evidence } from "./Evidence";
import { hours } from "./period";
import type { Fault } from "./types";
import "./availability.css";

type State = "open" | "closed" | "all";
interface Filter {
  channel: string;
  state: State;
}

const PAGE = 100;
const STATES: State[] = ["open", "closed", "all"];

function query(filter: Filter, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(PAGE) });
  if (filter.channel) params.set("channel", filter.channel);
  if (filter.state !== "all") params.set("open", String(filter.state === "open"));
  if (cursor) params.set("cursor", cursor);
  return `/faults?${params}`;
}

export function FaultsPage() {
  const { t, time } = useI18n();
  const { can } = useSession();
  const { channels } = useCatalogLists("channel");
  const [draft, setDraft] = useState<Filter>({ channel: "", state: "open" });
  const [applied, setApplied] = useState<Filter>(draft);
  const [faults, setFaults] = useState<Fault[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [shown, setShown] = useState<Fault | null>(null);

  const load = async (filter: Filter, cursor: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api<Page<Fault>>(query(filter, cursor));
      setFaults((prev) => (cursor ? [...prev, ...page.items] : page.items));
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
    setShown(null);
    setApplied({ ...draft });
  };
  const nameOf = (id: string) => channels.get(id)?.name ?? id;
  const sortedChannels = [...channels.values()].sort((a, b) => a.id.localeCompare(b.id));

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
        <Field label={t("common.status")}>
          <select name="state" aria-label={t("common.status")} value={draft.state} onChange={(e) => setDraft((d) => ({ ...d, state: e.target.value as State }))}>
            {STATES.map((s) => (
              <option key={s} value={s}>{t(`faults.state.${s}`)}</option>
            ))}
          </select>
        </Field>
        <button type="submit" className="primary">{t("audit.apply")}</button>
      </form>
      {applied.channel && (
        <ChannelChecks
          channelId={applied.channel}
          ptzType={channels.get(applied.channel)?.ptz_type ?? null}
          onDone={() => void load(applied, null)}
        />
      )}
      {error && <p className="error" role="alert">{t("error.withDetail", { detail: error })}</p>}
      {shown && <Evidence fault={shown} channelName={nameOf(shown.channel_id)} onClose={() => setShown(null)} />}
      <table className="table figures" data-testid="faults">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t("faults.channel")}</th>
            <th scope="col">{t("faults.kind")}</th>
            <th scope="col">{t("faults.score")}</th>
            <th scope="col">{t("faults.opened")}</th>
            <th scope="col">{t("faults.closed")}</th>
            <th scope="col">{t("faults.hours")}</th>
            <th scope="col">{t("faults.evidence")}</th>
          </tr>
        </thead>
        <tbody>
          {faults.map((f) => {
            const end = f.closed_at ? new Date(f.closed_at) : new Date();
            const duration = (end.getTime() - new Date(f.opened_at).getTime()) / 3_600_000;
            return (
              <tr key={f.id} data-fault={f.id} data-channel={f.channel_id}>
                <td className="mono">{f.id}</td>
                <td>{`${nameOf(f.channel_id)}（${f.channel_id}）`}</td>
                <td data-kind={f.kind}>{t(`fault.${f.kind}`)}</td>
                <td>{`${f.score.toFixed(2)} / ${f.threshold.toFixed(2)}`}</td>
                <td>{time(f.opened_at)}</td>
                <td className={f.closed_at ? "" : "fault-open"}>{f.closed_at ? time(f.closed_at) : t("faults.stillOpen")}</td>
                <td>{hours(duration)}</td>
                <td>
                  {f.evidence_url && can("video:live") ? (
                    <button type="button" onClick={() => setShown(f)} aria-label={t("faults.showEvidenceOf", { id: f.id })}>
                      {t("faults.showEvidence")}
                    </button>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!loading && !faults.length && <p className="muted">{t("faults.none")}</p>}
      {next && (
        <button type="button" onClick={() => void load(applied, next)} disabled={loading}>
          {t("audit.more")}
        </button>
      )}
    </section>
  );
}
