// The code of a new device, channel or organisation: digits only, its rule's message under it
// once something is typed or the field is left.

import { Field } from "../components/Field";
import { useI18n } from "../i18n/I18n";
import type { RuleError } from "./gbid";

interface Props {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  onTouched: () => void;
  /** The rule the value breaks, if any. */
  rule: RuleError | null;
  maxLength?: number;
}

export function CodeField({ label, name, value, onChange, onTouched, rule, maxLength }: Props) {
  const { t } = useI18n();
  return (
    <Field
      label={label}
      name={name}
      value={value}
      inputMode="numeric"
      maxLength={maxLength}
      onChange={(e) => onChange(e.target.value.trim())}
      onBlur={onTouched}
      error={rule ? t(rule.key, rule.params) : null}
      required
    />
  );
}
