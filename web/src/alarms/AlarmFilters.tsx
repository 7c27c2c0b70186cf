// The alarm centre's filter form: state, source, kind, camera, organisation and a period; the
// list follows it when applied.

import { useState } from "react";
import type { FormEvent } from "react";
import { ChoiceSelect } from "../components/ChoiceSelect";
import { Field } from "../components/Field";
import { OrgSelect } from "../components/OrgSelect";
import { PeriodPicker } from "../components/PeriodPicker";
import { useI18n } from "../i18n/I18n";
import { useCatalog } from "../tree/catalog";
import { kindChoices, kindWord, sourceWord, stateWord } from "./alarmWords";
import { ALARM_SOURCES, ALARM_STATES, NO_FILTER } from "./types";
import type { AlarmFilter } from "./types";

interface Props {
  /** Kinds seen in the list, offered beside the known ones. */
  kinds: string[];
  onApply: (filter: AlarmFilter) => void;
  onReset: () => void;
}

export function AlarmFilters({ kinds, onApply, onReset }: Props) {
  const { t } = useI18n();
  const { channels, organisations } = useCatalog();
  const [draft, setDraft] = useState<AlarmFilter>(NO_FILTER);
  const set = <K extends keyof AlarmFilter>(key: K) => (value: AlarmFilter[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const sortedChannels = [...channels.values()].sort((a, b) => a.id.localeCompare(b.id));
  return (
    <form className="form grid-form filters" onSubmit={submit} aria-label={t("alarms.filter")}>
      <ChoiceSelect label={t("alarms.state")} name="state" choices={ALARM_STATES} word={(state) => stateWord(t, state)} value={draft.state} onChange={set("state")} none={t("alarms.all")} />
      <ChoiceSelect label={t("alarms.source")} name="source" choices={ALARM_SOURCES} word={(source) => sourceWord(t, source)} value={draft.source} onChange={set("source")} none={t("alarms.all")} />
      <ChoiceSelect label={t("alarms.kind")} name="kind" choices={kindChoices(kinds)} word={(kind) => kindWord(t, kind)} value={draft.kind} onChange={set("kind")} none={t("alarms.all")} />
      <Field label={t("alarms.channel")}>
        <select name="channel" value={draft.channel} onChange={(e) => set("channel")(e.target.value)}>
          <option value="">{t("alarms.allChannels")}</option>
          {sortedChannels.map((c) => (
            <option key={c.id} value={c.id}>{`${c.name}（${c.id}）`}</option>
          ))}
        </select>
      </Field>
      <OrgSelect label={t("alarms.organisation")} name="org" organisations={organisations.values()} value={draft.org} onChange={set("org")} none={t("alarms.allOrganisations")} />
      <PeriodPicker
        type="datetime-local"
        labels={[t("alarms.from"), t("alarms.to")]}
        value={{ from: draft.from, to: draft.to }}
        onChange={(period) => setDraft((d) => ({ ...d, from: period.from, to: period.to }))}
      />
      <div className="form-buttons">
        <button type="submit" className="primary">{t("alarms.apply")}</button>
        <button type="button" onClick={() => { setDraft(NO_FILTER); onReset(); }}>{t("alarms.reset")}</button>
      </div>
    </form>
  );
}
