// The menu's count of new alarms beside "报警中心", with every state's count in its title; it
// reloads when an alarm is raised, acknowledged or closed anywhere in the caller's scope.

import { useEffect, useState } from "react";
import { api } from "../api/client";
import { useI18n } from "../i18n/I18n";
import { useCatalog } from "../tree/catalog";
import type { AlarmCounts } from "./types";

/** The counts of the caller's alarms per state, kept current by the events socket. */
export function useAlarmCounts(): AlarmCounts | null {
  const { subscribe } = useCatalog();
  const [counts, setCounts] = useState<AlarmCounts | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () =>
      api<AlarmCounts>("/alarms/counts")
        .then((found) => alive && setCounts(found))
        .catch(() => undefined); // the badge is a hint: the page itself shows a failure
    void load();
    const stop = subscribe((event) => {
      if (event.subject.startsWith("alarm.")) void load();
    });
    return () => {
      alive = false;
      stop();
    };
  }, [subscribe]);
  return counts;
}

export function AlarmBadge() {
  const { t } = useI18n();
  const counts = useAlarmCounts();
  if (!counts) return null;
  return (
    <span
      className={counts.new ? "nav-badge" : "nav-badge quiet"}
      data-testid="alarm-badge"
      data-new={counts.new}
      data-acknowledged={counts.acknowledged}
      data-closed={counts.closed}
      title={t("alarms.badgeTitle", { ...counts })}
    >
      <span aria-hidden="true">{counts.new}</span>
      <span className="visually-hidden">{t("alarms.badge", { count: counts.new })}</span>
    </span>
  );
}
