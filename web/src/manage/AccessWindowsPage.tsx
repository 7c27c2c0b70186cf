// Access windows: when a role or a user may do an action. The list is edited here (add, remove)
// and saved all at once: the server replaces every window with what the PUT carries.

import { useCallback, useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api, listAll } from "../api/client";
import type { AccessWindow, AccessWindowList, User } from "../api/types";
import { ChoiceSelect } from "../components/ChoiceSelect";
import { DataTable } from "../components/DataTable";
import { Field } from "../components/Field";
import { useI18n } from "../i18n/I18n";
import { ACCESS_ACTIONS, WEEKDAYS, draftProblems, shortTime, windowOf, windowsBody } from "./accessPolicy";
import type { WindowDraft } from "./accessPolicy";
import { ManageSection } from "./ManageSection";
import { ROLES } from "./UsersPage";
import { useSubmit } from "./useSubmit";

const WHO: readonly WindowDraft["who"][] = ["role", "user"];
const EMPTY: WindowDraft = { who: "role", role: "viewer", userId: "", action: "live", start: "08:00", end: "18:00", days: [] };

export function AccessWindowsPage() {
  const { t } = useI18n();
  const submit = useSubmit();
  const [windows, setWindows] = useState<AccessWindow[]>([]);
  const [users, setUsers] = useState<User[]>([]);
  const [draft, setDraft] = useState<WindowDraft>(EMPTY);
  const [touched, setTouched] = useState(false);
  const [dirty, setDirty] = useState(false);
  const problems = touched ? draftProblems(draft) : [];

  const load = useCallback(() => {
    api<AccessWindowList>("/access-windows").then((list) => {
      setWindows(list.windows);
      setDirty(false);
    }, () => setWindows([]));
    listAll<User>("/users").then(setUsers, () => setUsers([]));
  }, []);
  useEffect(load, [load]);

  const set = (changes: Partial<WindowDraft>) => setDraft((d) => ({ ...d, ...changes }));
  const add = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (draftProblems(draft).length) return;
    setWindows((list) => [...list, windowOf(draft)]);
    setDirty(true);
    setTouched(false);
  };
  const remove = (index: number) => {
    setWindows((list) => list.filter((_, i) => i !== index));
    setDirty(true);
  };
  const save = async () => {
    if (await submit.run(() => api("/access-windows", { method: "PUT", json: windowsBody(windows) }))) load();
  };
  const toggleDay = (day: number) =>
    set({ days: draft.days.includes(day) ? draft.days.filter((d) => d !== day) : [...draft.days, day] });
  const userName = (id: number) => users.find((u) => u.id === id)?.username ?? t("windows.unknownUser", { id });

  const fields = (
    <>
      <ChoiceSelect label={t("windows.who")} choices={WHO} word={(who) => t(who === "role" ? "windows.byRole" : "windows.byUser")} value={draft.who} onChange={(who) => set({ who })} />
      {draft.who === "role" ? (
        <ChoiceSelect label={t("windows.byRole")} choices={ROLES} word={(r) => t(`role.${r}`)} value={draft.role} onChange={(role) => set({ role })} />
      ) : (
        <Field label={t("windows.byUser")} error={problems.includes("user") ? t("rule.chooseUser") : null}>
          <select value={draft.userId} aria-label={t("windows.byUser")} onChange={(e) => set({ userId: e.target.value })}>
            <option value="">—</option>
            {users.map((u) => (
              <option key={u.id} value={String(u.id)} translate="no">{u.username}</option>
            ))}
          </select>
        </Field>
      )}
      <ChoiceSelect label={t("windows.action")} choices={ACCESS_ACTIONS} word={(a) => t(`access.${a}`)} value={draft.action} onChange={(action) => set({ action })} />
      <Field label={t("windows.start")} name="window-start" value={draft.start} inputMode="numeric" onChange={(e) => set({ start: e.target.value })} error={problems.includes("start") ? t("rule.time") : null} />
      <Field label={t("windows.end")} name="window-end" value={draft.end} inputMode="numeric" onChange={(e) => set({ end: e.target.value })} error={problems.includes("end") ? t("rule.time") : null} />
      <fieldset className="field">
        <legend>{t("windows.days")}</legend>
        {WEEKDAYS.map((day) => (
          <label key={day}>
            <input type="checkbox" checked={draft.days.includes(day)} onChange={() => toggleDay(day)} /> {t(`day.${day}`)}
          </label>
        ))}
      </fieldset>
      <p className="muted">{t("windows.hint")}</p>
    </>
  );
  return (
    <ManageSection name="access-windows" title={t("nav.accessWindows")} addTitle={t("windows.add")} onAdd={add} submit={submit} fields={fields}>
      {windows.length === 0 && <p className="muted">{t("windows.none")}</p>}
      <DataTable
        rows={windows.map((w, index) => ({ ...w, index }))}
        rowKey={(w) => String(w.index)}
        columns={[
          { key: "who", header: t("windows.who"), cell: (w) => (w.role ? t(`role.${w.role}`) : <span translate="no">{userName(w.user_id ?? 0)}</span>) },
          { key: "action", header: t("windows.action"), cell: (w) => t(`access.${w.action}`) },
          { key: "time", header: t("windows.start"), className: "mono", cell: (w) => `${shortTime(w.start)}–${shortTime(w.end)}` },
          { key: "days", header: t("windows.days"), cell: (w) => (w.days ? w.days.map((d) => t(`day.${d}` as "day.1")).join(" ") : t("windows.everyDay")) },
          {
            key: "actions",
            header: t("common.actions"),
            className: "actions",
            cell: (w) => <button type="button" onClick={() => remove(w.index)}>{t("windows.remove")}</button>,
          },
        ]}
      />
      <p>
        <button type="button" className="primary" disabled={submit.busy || !dirty} onClick={() => void save()}>{t("windows.saveAll")}</button>{" "}
        <span className="muted" role="status">{dirty ? t("windows.unsaved") : t("windows.saved")}</span>
      </p>
    </ManageSection>
  );
}
