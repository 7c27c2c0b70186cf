// The alarm centre (报警中心): alarms from devices, analytics rules and picture diagnosis, newest
// first, filtered by state, source, kind, camera, organisation and time; the counts per state;
// one alarm's details beside the list (its address, ?alarm=ID, is where a popup leads). The list
// reloads when an alarm is raised or handled anywhere in the caller's scope. Below, for those who
// may change them, the linkage rules in words.

import { useEffect, useMemo, useState } from "react";
import { api } from "../api/client";
import { useSession } from "../auth/session";
import type { Page } from "../api/types";
import { DataTable } from "../components/DataTable";
import type { Column } from "../components/DataTable";
import { pageQuery, pagedRows, useCursorList } from "../components/cursorList";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { navigate, useLocation } from "../shell/router";
import { useCatalog, useCatalogLists } from "../tree/catalog";
import { AlarmDetail } from "./AlarmDetail";
import { AlarmFilters } from "./AlarmFilters";
import { LinkageRules } from "./LinkageRules";
import { alarmLink, filterParams, kindWord, levelWord, sourceWord, stateWord } from "./alarmWords";
import { ALARM_STATES, NO_FILTER } from "./types";
import type { Alarm, AlarmCounts, AlarmFilter } from "./types";
import "./alarms.css";

const PAGE = 100;

export function AlarmsPage() {
  const { t, time } = useI18n();
  const { query } = useLocation();
  const { channels, subscribe } = useCatalogLists("channel", "organisation");
  const { want } = useCatalog();
  const { can } = useSession();
  const [applied, setApplied] = useState<AlarmFilter>(NO_FILTER);
  const [tick, setTick] = useState(0);
  const alarms = useCursorList((cursor) => api<Page<Alarm>>(`/alarms?${pageQuery(filterParams(applied), PAGE, cursor)}`), [applied, tick]);
  const [counts, setCounts] = useState<AlarmCounts | null>(null);
  const [shown, setShown] = useState<Alarm | null>(null);
  const [shownError, setShownError] = useState<unknown>(null);
  const openId = Number(query.get("alarm") ?? "") || null;

  useEffect(() => {
    api<AlarmCounts>(`/alarms/counts?${filterParams(applied, false)}`).then(setCounts, () => setCounts(null));
  }, [applied, tick]);
  // Raised or handled anywhere in scope: the list and counts again (the open alarm too).
  useEffect(() => subscribe((event) => event.subject.startsWith("alarm.") && setTick((n) => n + 1)), [subscribe]);
  useEffect(() => {
    setShownError(null);
    if (openId === null) {
      setShown(null);
      return;
    }
    api<Alarm>(`/alarms/${openId}`).then(setShown, (failure: unknown) => {
      setShown(null);
      setShownError(failure);
    });
  }, [openId, tick]);
  useEffect(() => want(shown?.channel_id ? [shown.channel_id] : []), [shown, want]);

  const nameOf = (id: string | null) => (id ? channels.get(id)?.name ?? null : null);
  const where = (a: Alarm) => (a.channel_id ? `${nameOf(a.channel_id) ?? a.channel_id}（${a.channel_id}）` : a.device_id ?? "—");
  const seenKinds = useMemo(() => alarms.items.map((a) => a.kind), [alarms.items]);
  const apply = (filter: AlarmFilter) => setApplied({ ...filter });
  const columns: Column<Alarm>[] = [
    { key: "id", header: "#", className: "mono", cell: (a) => a.id },
    { key: "at", header: t("alarms.at"), cell: (a) => <time dateTime={a.at}>{time(a.at)}</time> },
    { key: "channel", header: t("alarms.channel"), cell: where },
    { key: "source", header: t("alarms.source"), cell: (a) => sourceWord(t, a.source) },
    { key: "kind", header: t("alarms.kind"), cellProps: (a) => ({ "data-kind": a.kind }), cell: (a) => kindWord(t, a.kind) },
    { key: "level", header: t("alarms.level"), className: (a) => `level-${a.level}`, cell: (a) => levelWord(t, a.level) },
    { key: "state", header: t("alarms.state"), className: (a) => `alarm-${a.state}`, cellProps: (a) => ({ "data-state": a.state }), cell: (a) => stateWord(t, a.state) },
    {
      key: "open",
      header: t("alarms.actions"),
      className: "actions",
      cell: (a) => (
        <button type="button" onClick={() => navigate(alarmLink(a.id))} aria-label={t("alarms.openOf", { id: a.id })} aria-pressed={a.id === openId}>
          {t("alarms.open")}
        </button>
      ),
    },
  ];

  return (
    <section className="page alarms-page" aria-labelledby="alarms-title">
      <h2 id="alarms-title">{t("alarms.title")}</h2>
      <AlarmFilters kinds={seenKinds} onApply={apply} onReset={() => apply(NO_FILTER)} />
      {counts && (
        <ul className="alarm-counts" aria-label={t("alarms.counts")}>
          {ALARM_STATES.map((state) => (
            <li key={state} className={`alarm-${state}`} data-state={state} data-count={counts[state]}>
              {stateWord(t, state)} <strong>{counts[state]}</strong>
            </li>
          ))}
        </ul>
      )}
      {alarms.error != null && <p className="error" role="alert">{t("error.withDetail", { detail: problemText(t, alarms.error) })}</p>}
      {shownError != null && <p className="error" role="alert">{problemText(t, shownError)}</p>}
      <div className={shown ? "alarms-split" : undefined}>
        <div>
          <DataTable
            className="table figures alarm-table"
            testId="alarms"
            columns={columns}
            rowKey={(a) => a.id}
            rowProps={(a) => ({ "data-alarm": a.id, "data-state": a.state, "aria-selected": a.id === openId || undefined })}
            empty={t("alarms.none")}
            {...pagedRows(alarms, t("alarms.more"))}
          />
        </div>
        {shown && (
          <AlarmDetail
            alarm={shown}
            channelName={nameOf(shown.channel_id)}
            onChanged={(moved) => {
              setShown(moved);
              setTick((n) => n + 1);
            }}
            onClose={() => navigate("/alarms")}
          />
        )}
      </div>
      {can("catalog:write") && <LinkageRules />}
    </section>
  );
}
