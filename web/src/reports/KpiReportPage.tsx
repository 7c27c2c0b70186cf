// The KPI report of an organisation: its six figures beside their targets, a chart of them, its
// children's figures (GET /kpis for each) and its blind spots; the same report as CSV or PDF.
// The choice lives in the address (/reports?org=&from=&to=), so a reload or a link shows it again.

import { useEffect, useMemo, useState } from "react";
import type { FormEvent } from "react";
import { api, download } from "../api/client";
import { KPI_NAMES } from "../api/types";
import type { BlindSpots, KpiName, KpiValue, Kpis, Organisation } from "../api/types";
import { DataTable } from "../components/DataTable";
import type { Column } from "../components/DataTable";
import { ReportChoice } from "../components/ReportChoice";
import { ReportStatus } from "../components/ReportStatus";
import { useLoaded } from "../components/useLoaded";
import { OrganisationsLoaded, useOrgChoice } from "../components/orgChoice";
import { useI18n } from "../i18n/I18n";
import type { Translate } from "../i18n/I18n";
import { problemText, reasonText, wordOr } from "../i18n/problems";
import { navigate } from "../shell/router";
import { percent, points, shortfall } from "./figures";
import { KpiChart } from "./KpiChart";

const MAX_BLIND_SPOTS = 50; // per kind, as in the PDF; the rest are counted

interface Report {
  kpis: Kpis;
  children: { organisation: Organisation; kpis: Kpis }[];
  spots: BlindSpots;
}

/** Midnight at the start of a local date, ISO 8601 with this browser's offset. */
export function localMidnight(date: string, addDays = 0): string {
  const d = new Date(`${date}T00:00:00`);
  d.setDate(d.getDate() + addDays);
  const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, "0");
  const offset = -d.getTimezoneOffset();
  const zone = `${offset < 0 ? "-" : "+"}${pad(offset / 60)}:${pad(offset % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T00:00:00${zone}`;
}

/** org, and the period from the start of `from` to the end of `to` (both optional). */
function reportQuery(org: string, from: string, to: string): URLSearchParams {
  const params = new URLSearchParams({ org });
  if (from) params.set("from", localMidnight(from));
  if (to) params.set("to", localMidnight(to, 1));
  return params;
}

function figure(kpi: KpiValue): string {
  return kpi.value === null ? "—" : percent(kpi.value);
}

/** Why a KPI has no value, in words. */
function why(kpi: KpiValue, t: Translate): string {
  if (!kpi.reason_code) return t("problem.kpi.unknown");
  return reasonText(t, kpi.reason_code, kpi.reason_params ?? {}, "problem.kpi.unknown");
}

function gapNote(kpi: KpiValue, t: Translate): string {
  const gap = shortfall(kpi);
  if (gap === null) return t("report.none", { reason: why(kpi, t) });
  return gap === 0 ? t("report.met") : t("report.below", { points: points(gap) });
}

export function KpiReportPage() {
  return <OrganisationsLoaded>{() => <KpiReportView />}</OrganisationsLoaded>;
}

function KpiReportView() {
  const { t, lang } = useI18n();
  const { organisations, sorted, query, org } = useOrgChoice();
  const from = query.get("from") ?? "";
  const to = query.get("to") ?? "";
  const [draft, setDraft] = useState({ org, from, to });
  useEffect(() => setDraft({ org, from, to }), [org, from, to]);
  const children = useMemo(() => sorted.filter((o) => o.parent_id === org), [sorted, org]);
  const childIds = children.map((c) => c.id).join(",");

  const loadReport = async (): Promise<Report> => {
    const kpisOf = (id: string) => api<Kpis>(`/kpis?${reportQuery(id, from, to)}`);
    const [kpis, childReports, spots] = await Promise.all([
      kpisOf(org),
      Promise.all(children.map(async (c) => ({ organisation: c, kpis: await kpisOf(c.id) }))),
      api<BlindSpots>(`/coverage/blind-spots?${new URLSearchParams({ org })}`),
    ]);
    return { kpis, children: childReports, spots };
  };
  // childIds stands for the children's list
  const { value: report, error, setError } = useLoaded(org ? loadReport : null, [org, from, to, childIds]);

  const show = (event: FormEvent) => {
    event.preventDefault();
    const params = new URLSearchParams({ org: draft.org });
    if (draft.from) params.set("from", draft.from);
    if (draft.to) params.set("to", draft.to);
    navigate(`/reports?${params}`);
  };
  const save = async (format: "csv" | "pdf") => {
    const params = reportQuery(org, from, to);
    params.set("format", format);
    params.set("lang", lang === "zh" ? "zh-CN" : "en");
    try {
      await download(`/api/v1/reports/kpis?${params}`, `kpi-report-${org}.${format}`);
    } catch (failure) {
      setError(problemText(t, failure));
    }
  };
  const current = organisations.get(org);

  return (
    <section className="page report-page" aria-labelledby="report-title">
      <h2 id="report-title">{t("report.title")}</h2>
      <ReportChoice organisations={sorted} draft={draft} setDraft={setDraft} onShow={show} hint={t("report.periodHint")} />
      <ReportStatus picked={!!org} loaded={!!report} error={error} />
      {report && (
        <>
          <div className="toolbar">
            <h3 data-testid="report-organisation">{current ? `${current.name}（${org}）` : org}</h3>
            <button type="button" onClick={() => void save("csv")}>{t("report.csv")}</button>
            <button type="button" onClick={() => void save("pdf")}>{t("report.pdf")}</button>
          </div>
          <ul className="kpi-cards">
            {KPI_NAMES.map((name) => (
              <KpiCard key={name} name={name} kpi={report.kpis[name]} basis={name === "hd_ratio" ? report.kpis.hd_basis : undefined} />
            ))}
          </ul>
          <p className="muted" data-testid="intact-days">
            {t("report.intactDays", { first: report.kpis.intact_from, last: report.kpis.intact_to })}
          </p>
          <KpiChart kpis={report.kpis} />
          {report.children.length > 0 && <ChildTable rows={report.children} />}
          <BlindSpotTables spots={report.spots} />
        </>
      )}
    </section>
  );
}

function KpiCard({ name, kpi, basis }: { name: KpiName; kpi: KpiValue; basis?: Kpis["hd_basis"] }) {
  const { t } = useI18n();
  const gap = shortfall(kpi);
  return (
    <li className="kpi-card" data-kpi={name}>
      <span className="kpi-name">{t(`kpi.${name}`)}</span>
      <strong className="kpi-value" data-testid={`kpi-${name}`}>{figure(kpi)}</strong>
      <span className="muted">{t("report.target", { value: percent(kpi.target) })}</span>
      <span className={gap === 0 ? "success" : gap === null ? "muted" : "kpi-gap"} data-testid={`gap-${name}`}>
        {gapNote(kpi, t)}
      </span>
      {basis && (
        <span className="muted kpi-basis" data-testid={`basis-${name}`}>
          {t("report.hdBasis", { stream: basis.stream, catalog: basis.catalog })}
        </span>
      )}
    </li>
  );
}

function ChildTable({ rows }: { rows: Report["children"] }) {
  const { t } = useI18n();
  return (
    <>
      <h3>{t("report.children")}</h3>
      <DataTable
        className="table report-table"
        testId="report-children"
        rows={rows}
        rowKey={(row) => row.organisation.id}
        rowProps={(row) => ({ "data-org": row.organisation.id })}
        columns={[
          { key: "organisation", header: t("report.organisation"), rowHeader: true, cell: ({ organisation }) => `${organisation.name}（${organisation.id}）` },
          ...KPI_NAMES.map((name) => ({
            key: name,
            header: t(`kpi.${name}`),
            cellProps: ({ kpis }: Report["children"][number]) => ({ "data-kpi": name, title: kpis[name].value === null ? why(kpis[name], t) : undefined }),
            cell: ({ kpis }: Report["children"][number]) => figure(kpis[name]),
          })),
        ]}
      />
    </>
  );
}

function BlindSpotTables({ spots }: { spots: BlindSpots }) {
  const { t } = useI18n();
  return (
    <>
      <h3>{t("report.blind")}</h3>
      <h4>{t("report.keyAreas")}</h4>
      <SpotTable
        testId="blind-key-areas"
        spots={spots.key_areas}
        columns={[
          { key: "name", header: t("common.name"), cell: (a) => a.name },
          { key: "category", header: t("report.category"), cell: (a) => (a.category ? wordOr(t, "category.", a.category) : "—") },
          { key: "area", header: t("report.uncoveredArea"), cell: (a) => Math.round(a.uncovered_m2).toLocaleString() },
          { key: "share", header: t("report.uncoveredShare"), cell: (a) => percent(a.uncovered_share) },
        ]}
      />
      <h4>{t("report.intersections")}</h4>
      <SpotTable
        testId="blind-intersections"
        spots={spots.intersections}
        columns={[
          { key: "name", header: t("common.name"), cell: (c) => c.name },
          { key: "approaches", header: t("report.approaches"), cell: (c) => `${c.approaches_seen} / ${c.approaches}` },
          { key: "centre", header: t("report.centre"), cell: (c) => (c.centre_seen ? t("report.yes") : t("report.no")) },
        ]}
      />
    </>
  );
}

/** The worst blind spots of a kind, as the PDF has them: the first 50, the rest counted. */
function SpotTable<Spot extends { id: number }>({ testId, spots, columns }: { testId: string; spots: Spot[]; columns: Column<Spot>[] }) {
  const { t } = useI18n();
  if (spots.length === 0) return <p className="muted">{t("report.noSpots")}</p>;
  return (
    <>
      <DataTable className="table report-table" testId={testId} rows={spots.slice(0, MAX_BLIND_SPOTS)} rowKey={(s) => s.id} columns={columns} />
      {spots.length > MAX_BLIND_SPOTS && <p className="muted">{t("report.more", { n: spots.length - MAX_BLIND_SPOTS })}</p>}
    </>
  );
}
