// Work orders (工单): time-to-repair figures per maintainer unit over a period
// (GET /work-orders/stats), and the orders themselves, open or closed, newest first.

import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Page } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { Field } from "../manage/Field";
import { localMidnight } from "../reports/KpiReportPage";
import { useChannels } from "../tree/catalog";
import { hours, localDate } from "./period";
import type { RepairReport, RepairStats, WorkOrder } from "./types";
import "./availability.css";

type State = "open" | "closed" | "all";
interface Filter {
  from: string;
  to: string;
  state: State;
}

const PAGE = 100;
const STATES: State[] = ["open", "closed", "all"];
const DEFAULT_DAYS = 30;

export function WorkOrdersPage() {
  const { t, time } = useI18n();
  const [draft, setDraft] = useState<Filter>({ from: localDate(1 - DEFAULT_DAYS), to: localDate(), state: "all" });
  const [applied, setApplied] = useState<Filter>(draft);
  const [stats, setStats] = useState<RepairReport | null>(null);
  const [orders, setOrders] = useState<WorkOrder[]>([]);
  const { channels } = useChannels(orders.map((o) => o.channel_id));
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (filter: Filter, cursor: string | null) => {
    setLoading(true);
    setError(null);
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (filter.state !== "all") params.set("open", String(filter.state === "open"));
    if (cursor) params.set("cursor", cursor);
    try {
      const page = await api<Page<WorkOrder>>(`/work-orders?${params}`);
      setOrders((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNext(page.next);
      if (!cursor) {
        const period = new URLSearchParams({ from: localMidnight(filter.from), to: localMidnight(filter.to, 1) });
        setStats(await api<RepairReport>(`/work-orders/stats?${period}`));
      }
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
  const nameOf = (id: string) => channels.get(id)?.name ?? id;

  return (
    <section className="page availability-page" aria-labelledby="orders-title">
      <h2 id="orders-title">{t("orders.title")}</h2>
      <form className="form grid-form filters" onSubmit={apply} aria-label={t("audit.filter")}>
        <Field label={t("report.from")} name="from" type="date" required value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
        <Field label={t("report.to")} name="to" type="date" required value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
        <Field label={t("common.status")}>
          <select name="state" aria-label={t("common.status")} value={draft.state} onChange={(e) => setDraft((d) => ({ ...d, state: e.target.value as State }))}>
            {STATES.map((s) => (
              <option key={s} value={s}>{t(`orders.state.${s}`)}</option>
            ))}
          </select>
        </Field>
        <button type="submit" className="primary">{t("audit.apply")}</button>
        <p className="muted hint">{t("orders.hint")}</p>
      </form>
      {error && <p className="error" role="alert">{t("error.withDetail", { detail: error })}</p>}
      {stats && (
        <>
          <h3>{t("orders.stats")}</h3>
          <table className="table report-table figures" data-testid="repair-stats">
            <thead>
              <tr>
                <th scope="col">{t("orders.assignee")}</th>
                <th scope="col">{t("orders.count")}</th>
                <th scope="col">{t("orders.open")}</th>
                <th scope="col">{t("orders.mean")}</th>
                <th scope="col">{t("orders.median")}</th>
                <th scope="col">{t("orders.p90")}</th>
              </tr>
            </thead>
            <tbody>
              {stats.units.map((u) => (
                <StatsRow key={u.assignee ?? ""} name={u.assignee ?? t("orders.noAssignee")} stats={u} />
              ))}
              <StatsRow name={t("availability.total")} stats={stats.total} total />
            </tbody>
          </table>
        </>
      )}
      <h3>{t("orders.list")}</h3>
      <table className="table figures" data-testid="work-orders">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t("faults.channel")}</th>
            <th scope="col">{t("orders.assignee")}</th>
            <th scope="col">{t("orders.fault")}</th>
            <th scope="col">{t("faults.kind")}</th>
            <th scope="col">{t("faults.opened")}</th>
            <th scope="col">{t("faults.closed")}</th>
            <th scope="col">{t("orders.repairHours")}</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.id} data-order={o.id}>
              <td className="mono">{o.id}</td>
              <td>{`${nameOf(o.channel_id)}（${o.channel_id}）`}</td>
              <td>{o.assignee ?? t("orders.noAssignee")}</td>
              <td className="mono">{o.fault_id}</td>
              <td data-kind={o.kind}>{t(`fault.${o.kind}`)}</td>
              <td>{time(o.opened_at)}</td>
              <td className={o.closed_at ? "" : "fault-open"}>{o.closed_at ? time(o.closed_at) : t("orders.stillOpen")}</td>
              <td data-testid="repair-hours">{hours(o.repair_seconds === null ? null : o.repair_seconds / 3600)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && !orders.length && <p className="muted">{t("orders.none")}</p>}
      {next && (
        <button type="button" onClick={() => void load(applied, next)} disabled={loading}>
          {t("audit.more")}
        </button>
      )}
    </section>
  );
}

function StatsRow({ name, stats, total = false }: { name: string; stats: RepairStats; total?: boolean }) {
  return (
    <tr data-unit={total ? "total" : (stats.assignee ?? "none")}>
      <th scope="row">{name}</th>
      <td>{stats.count}</td>
      <td>{stats.open}</td>
      <td>{hours(stats.mean_hours)}</td>
      <td>{hours(stats.median_hours)}</td>
      <td>{hours(stats.p90_hours)}</td>
    </tr>
  );
}
