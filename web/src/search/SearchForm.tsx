// The video search's form: channels (several), the period (local date-times), an object class
// (any, one the detector names, or another typed) with the colours it has (a vehicle's body, a
// person's top and bottom), the purpose and an optional case. Checked here first (searchModel): a
// broken rule is shown where it belongs and nothing is sent.

import { useState } from "react";
import type { FormEvent } from "react";
import type { VideoSearchAsk } from "../api/types";
import { labelWord } from "../alarms/alarmWords";
import { ChannelsPicker } from "../components/ChannelPicker";
import { Field } from "../components/Field";
import { PeriodPicker } from "../components/PeriodPicker";
import type { Period } from "../components/PeriodPicker";
import { localMinute } from "../i18n/dates";
import { useI18n } from "../i18n/I18n";
import type { Translate } from "../i18n/I18n";
import { CASE_MAX, PURPOSE_MAX } from "../playback/purpose";
import { BODY_LABELS, COLOURS, colourWord } from "./attributes";
import { LABELS, LABEL_MAX, MAX_CHANNELS, isBroken, searchBody } from "./searchModel";
import type { Broken } from "./searchModel";

const OTHER = "other";
const DAY_MS = 24 * 3600 * 1000;

/** The last day up to the next whole minute. */
function lastDay(): Period {
  const end = Math.ceil(Date.now() / 60_000) * 60_000;
  return { from: localMinute(new Date(end - DAY_MS)), to: localMinute(new Date(end)) };
}

function brokenText(t: Translate, broken: Broken): string {
  if (broken.of === "purpose") {
    return t(`purpose.${broken.problem}`, { max: broken.problem === "caseLong" ? CASE_MAX : PURPOSE_MAX });
  }
  return t(`search.problem.${broken.problem}`, { max: MAX_CHANNELS });
}

interface ColourProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
}

/** A choice of one palette colour, or any. */
function ColourChoice({ label, name, value, onChange }: ColourProps) {
  const { t } = useI18n();
  return (
    <Field label={label}>
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t("search.anyColour")}</option>
        {COLOURS.map((colour) => (
          <option key={colour} value={colour}>{colourWord(t, colour)}</option>
        ))}
      </select>
    </Field>
  );
}

interface Props {
  busy: boolean;
  onSearch: (body: VideoSearchAsk) => void;
}

export function SearchForm({ busy, onSearch }: Props) {
  const { t } = useI18n();
  const [channels, setChannels] = useState<string[]>([]);
  const [period, setPeriod] = useState<Period>(lastDay);
  const [choice, setChoice] = useState("");
  const [typed, setTyped] = useState("");
  const [colour, setColour] = useState("");
  const [upperColour, setUpperColour] = useState("");
  const [lowerColour, setLowerColour] = useState("");
  const [purpose, setPurpose] = useState("");
  const [caseNumber, setCaseNumber] = useState("");
  const [broken, setBroken] = useState<Broken | null>(null);
  const errorOf = (field: Broken["field"]) => (broken?.field === field ? brokenText(t, broken) : null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const label = choice === OTHER ? typed : choice;
    const body = searchBody({ channels, from: period.from, to: period.to, label, colour, upperColour, lowerColour, purpose, caseNumber });
    if (isBroken(body)) return setBroken(body);
    setBroken(null);
    onSearch(body);
  };

  return (
    <form className="form grid-form search-form" onSubmit={submit} noValidate aria-label={t("search.form")}>
      <h3>{t("search.form")}</h3>
      <ChannelsPicker label={t("search.channels")} value={channels} onChange={setChannels} />
      <PeriodPicker type="datetime-local" labels={[t("search.from"), t("search.to")]} names={["search-from", "search-to"]} value={period} onChange={setPeriod} required />
      <Field label={t("search.label")}>
        <select name="label" value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">{t("search.anyLabel")}</option>
          {LABELS.map((label) => (
            <option key={label} value={label}>{labelWord(t, label) ?? label}</option>
          ))}
          <option value={OTHER}>{t("search.otherLabel")}</option>
        </select>
      </Field>
      {choice === OTHER && (
        <Field label={t("search.labelText")} name="label-text" value={typed} maxLength={LABEL_MAX} onChange={(e) => setTyped(e.target.value)} error={errorOf("label")} />
      )}
      {BODY_LABELS.includes(choice) && <ColourChoice label={t("search.colour")} name="colour" value={colour} onChange={setColour} />}
      {choice === "person" && (
        <>
          <ColourChoice label={t("search.upperColour")} name="upper-colour" value={upperColour} onChange={setUpperColour} />
          <ColourChoice label={t("search.lowerColour")} name="lower-colour" value={lowerColour} onChange={setLowerColour} />
        </>
      )}
      <Field label={t("purpose.purpose")} name="search-purpose" value={purpose} maxLength={PURPOSE_MAX} onChange={(e) => setPurpose(e.target.value)} error={errorOf("purpose")} />
      <Field label={t("purpose.case")} name="search-case" value={caseNumber} maxLength={CASE_MAX} onChange={(e) => setCaseNumber(e.target.value)} error={errorOf("case")} />
      <button type="submit" className="primary" disabled={busy}>{busy ? t("search.busy") : t("search.submit")}</button>
      {(broken?.field === "channels" || broken?.field === "period" || broken?.field === "attributes") && (
        <p className="error" role="alert" data-testid="search-rule">{brokenText(t, broken)}</p>
      )}
    </form>
  );
}
