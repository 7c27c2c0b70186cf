// Work orders (工单): time-to-repair figures per maintainer unit over a period
// (GET /work-orders/stats), and the orders themselves, open or closed, newest first.

import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Page } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { DataTable } from "../components/DataTable";
import type { Column } from "../components/DataTable";
import { PeriodPicker } from "../components/PeriodPicker";
import type { Period } from "../components/PeriodPicker";
import { pageQuery, pagedRows, useCursorList } from "../components/cursorList";
import { localMidnight } from "../reports/KpiReportPage";
import { useChannels } from "../tree/catalog";
import { hours, localDate } from "./period";
import { StateSelect } from "./StateSelect";
import type { OpenState as State } from "./StateSelect";
import type { RepairReport, RepairStats, WorkOrder } from "./types";
import "./availability.css";

interface Filter extends Period {
  state: State;
}

const PAGE = 100;
const DEFAULT_DAYS = 30;

function params(filter: Filter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.state !== "all") params.set("open", String(filter.state === "open"));
  return params;
}

export function WorkOrdersPage() {
  const { t, time } = useI18n();
  const [draft, setDraft] = useState<Filter>({ from: localDate(1 - DEFAULT_DAYS), to: localDate(), state: "all" });
  const [applied, setApplied] = useState<Filter>(draft);
  const orders = useCursorList((cursor) => api<Page<WorkOrder>>(`/work-orders?${pageQuery(params(applied), PAGE, cursor)}`), [applied]);
  const { stats, statsError } = useRepairStats(applied);
  const { channels } = useChannels(orders.items.map((o) => o.channel_id));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied({ ...draft });
  };
  const nameOf = (id: string) => channels.get(id)?.name ?? id;
  const failure = orders.error ?? statsError;
  const columns: Column<WorkOrder>[] = [
    { key: "id", header: "#", className: "mono", cell: (o) => o.id },
    { key: "channel", header: t("faults.channel"), cell: (o) => `${nameOf(o.channel_id)}（${o.channel_id}）` },
    { key: "assignee", header: t("orders.assignee"), cell: (o) => o.assignee ?? t("orders.noAssignee") },
    { key: "fault", header: t("orders.fault"), className: "mono", cell: (o) => o.fault_id },
    { key: "kind", header: t("faults.kind"), cellProps: (o) => ({ "data-kind": o.kind }), cell: (o) => t(`fault.${o.kind}`) },
    { key: "opened", header: t("faults.opened"), cell: (o) => time(o.opened_at) },
    {
      key: "closed",
      header: t("faults.closed"),
      className: (o) => (o.closed_at ? "" : "fault-open"),
      cell: (o) => (o.closed_at ? time(o.closed_at) : t("orders.stillOpen")),
    },
    {
      key: "repair",
      header: t("orders.repairHours"),
      cellProps: () => ({ "data-testid": "repair-hours" }),
      cell: (o) => hours(o.repair_seconds === null ? null : o.repair_seconds / 3600),
    },
  ];

  return (
    <section className="page availability-page" aria-labelledby="orders-title">
      <h2 id="orders-title">{t("orders.title")}</h2>
      <form className="form grid-form filters" onSubmit={apply} aria-label={t("audit.filter")}>
        <PeriodPicker required labels={[t("report.from"), t("report.to")]} value={draft} onChange={(period) => setDraft((d) => ({ ...d, ...period }))} />
        <StateSelect value={draft.state} onChange={(state) => setDraft((d) => ({ ...d, state }))} words="orders.state" />
        <button type="submit" className="primary">{t("audit.apply")}</button>
        <p className="muted hint">{t("orders.hint")}</p>
      </form>
      {failure != null && <p className="error" role="alert">{t("error.withDetail", { detail: problemText(t, failure) })}</p>}
      {stats && <RepairStatsTable report={stats} />}
      <h3>{t("orders.list")}</h3>
      <DataTable
        className="table figures"
        testId="work-orders"
        columns={columns}
        rowKey={(o) => o.id}
        rowProps={(o) => ({ "data-order": o.id })}
        empty={t("orders.none")}
        {...pagedRows(orders, t("audit.more"))}
      />
    </section>
  );
}

/** The time-to-repair figures of the filter's period, read again when the filter changes. */
function useRepairStats(filter: Period) {
  const [stats, setStats] = useState<RepairReport | null>(null);
  const [statsError, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    const period = new URLSearchParams({ from: localMidnight(filter.from), to: localMidnight(filter.to, 1) });
    api<RepairReport>(`/work-orders/stats?${period}`).then(
      (report) => live && setStats(report),
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [filter]);
  return { stats, statsError };
}

interface StatsLine {
  name: string;
  stats: RepairStats;
  total: boolean;
}

function RepairStatsTable({ report }: { report: RepairReport }) {
  const { t } = useI18n();
  const lines: StatsLine[] = [
    ...report.units.map((u) => ({ name: u.assignee ?? t("orders.noAssignee"), stats: u, total: false })),
    { name: t("availability.total"), stats: report.total, total: true },
  ];
  const columns: Column<StatsLine>[] = [
    { key: "assignee", header: t("orders.assignee"), rowHeader: true, cell: (l) => l.name },
    { key: "count", header: t("orders.count"), cell: (l) => l.stats.count },
    { key: "open", header: t("orders.open"), cell: (l) => l.stats.open },
    { key: "mean", header: t("orders.mean"), cell: (l) => hours(l.stats.mean_hours) },
    { key: "median", header: t("orders.median"), cell: (l) => hours(l.stats.median_hours) },
    { key: "p90", header: t("orders.p90"), cell: (l) => hours(l.stats.p90_hours) },
  ];
  const unit = (l: StatsLine) => (l.total ? "total" : (l.stats.assignee ?? "none"));
  return (
    <>
      <h3>{t("orders.stats")}</h3>
      <DataTable
        className="table report-table figures"
        testId="repair-stats"
        columns={columns}
        rows={lines}
        rowKey={(l) => (l.total ? "total" : `unit:${l.stats.assignee ?? ""}`)}
        rowProps={(l) => ({ "data-unit": unit(l) })}
      />
    </>
  );
}
