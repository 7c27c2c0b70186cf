// The availability dashboard: an organisation's intact rate (完好率) over a chosen period, per
// day as a trend against the 98 % and 95 % targets, and per organisation, industry or key-area
// category (GET /intact-rate). The choice lives in the address (/availability?org=&from=&to=&by=).

import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import { useI18n } from "../i18n/I18n";
import { wordOr } from "../i18n/problems";
import { OrganisationsLoaded, useOrgChoice } from "../components/orgChoice";
import { ChoiceSelect } from "../components/ChoiceSelect";
import { percent } from "../reports/figures";
import { navigate } from "../shell/router";
import { TrendChart } from "./TrendChart";
import { localDate } from "./period";
import { GROUP_BYS } from "./types";
import type { GroupBy, GroupRate, IntactRate } from "./types";
import "./availability.css";
import { DataTable } from "../components/DataTable";
import { ReportChoice } from "../components/ReportChoice";
import { ReportStatus } from "../components/ReportStatus";
import { useLoaded } from "../components/useLoaded";

const DEFAULT_DAYS = 30; // the period shown when none is chosen: the last 30 days, today included

export function AvailabilityPage() {
  return <OrganisationsLoaded>{() => <AvailabilityView />}</OrganisationsLoaded>;
}

function AvailabilityView() {
  const { t } = useI18n();
  const { organisations, sorted, query, org } = useOrgChoice();
  const from = query.get("from") ?? localDate(1 - DEFAULT_DAYS);
  const to = query.get("to") ?? localDate();
  const by = (GROUP_BYS as string[]).includes(query.get("by") ?? "") ? (query.get("by") as GroupBy) : "organisation";
  const [draft, setDraft] = useState({ org, from, to, by });
  useEffect(() => setDraft({ org, from, to, by }), [org, from, to, by]);

  const { value: rate, error } = useLoaded(
    org ? () => api<IntactRate>(`/intact-rate?${new URLSearchParams({ org, from, to, by })}`) : null,
    [org, from, to, by],
  );

  const show = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/availability?${new URLSearchParams(draft)}`);
  };
  const groupName = (group: string) => {
    if (group === "none") return t("availability.noGroup");
    if (by === "key_area_category") return wordOr(t, "category.", group);
    const named = by === "organisation" ? organisations.get(group) : undefined;
    return named ? `${named.name}（${group}）` : group;
  };

  return (
    <section className="page availability-page" aria-labelledby="availability-title">
      <h2 id="availability-title">{t("availability.title")}</h2>
      <ReportChoice organisations={sorted} draft={draft} setDraft={setDraft} onShow={show} periodRequired hint={t("availability.hint")}>
        <ChoiceSelect label={t("availability.by")} name="by" choices={GROUP_BYS} word={(b) => t(`availability.by.${b}`)} value={draft.by} onChange={(by) => setDraft((d) => ({ ...d, by }))} />
      </ReportChoice>
      <ReportStatus picked={!!org} loaded={!!rate} error={error} />
      {rate && (
        <>
          <ul className="kpi-cards">
            <RateCard label={t("availability.total")} rate={rate.total} testId="intact-total" />
          </ul>
          <TrendChart total={rate.total} groups={rate.groups} />
          <DataTable
            className="table report-table"
            testId="intact-groups"
            rows={rate.groups}
            rowKey={(g) => g.group}
            rowProps={(g) => ({ "data-group": g.group })}
            columns={[
              { key: "group", header: t(`availability.by.${rate.by}`), rowHeader: true, cell: (g) => groupName(g.group) },
              { key: "channels", header: t("availability.channels"), cell: (g) => g.channels },
              { key: "cameraDays", header: t("availability.cameraDays"), cell: (g) => g.camera_days },
              { key: "intact", header: t("availability.intactDays"), cell: (g) => g.intact },
              { key: "rate", header: t("kpi.intact_rate"), cellProps: () => ({ "data-testid": "group-rate" }), cell: (g) => (g.rate === null ? "—" : percent(g.rate)) },
              {
                key: "target",
                header: t("availability.target"),
                className: (g) => (g.met ? "success" : "kpi-gap"),
                cell: (g) => `${percent(g.target)} · ${g.met ? t("report.met") : t("availability.notMet")}`,
              },
            ]}
          />
        </>
      )}
    </section>
  );
}

function RateCard({ label, rate, testId }: { label: string; rate: GroupRate; testId: string }) {
  const { t } = useI18n();
  return (
    <li className="kpi-card">
      <span className="kpi-name">{label}</span>
      <strong className="kpi-value" data-testid={testId}>{rate.rate === null ? "—" : percent(rate.rate)}</strong>
      <span className="muted">{t("availability.days", { intact: rate.intact, total: rate.camera_days })}</span>
      <span className={rate.met ? "success" : "kpi-gap"}>
        {`${t("report.target", { value: percent(rate.target) })} · ${rate.met ? t("report.met") : t("availability.notMet")}`}
      </span>
    </li>
  );
}
