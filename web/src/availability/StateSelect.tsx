// The open/closed/all choice of the faults and work-order filters.

import { Field } from "../components/Field";
import { useI18n } from "../i18n/I18n";

export type OpenState = "open" | "closed" | "all";
const STATES: OpenState[] = ["open", "closed", "all"];

interface Props {
  value: OpenState;
  onChange: (state: OpenState) => void;
  /** Whose words name the states: a fault's (open, cleared) or a work order's (open, closed). */
  words: "faults.state" | "orders.state";
}

export function StateSelect({ value, onChange, words }: Props) {
  const { t } = useI18n();
  return (
    <Field label={t("common.status")}>
      <select name="state" aria-label={t("common.status")} value={value} onChange={(e) => onChange(e.target.value as OpenState)}>
        {STATES.map((s) => (
          <option key={s} value={s}>{t(`${words}.${s}`)}</option>
        ))}
      </select>
    </Field>
  );
}
