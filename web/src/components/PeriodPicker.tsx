// The two ends of a period in a filter form: from and to, as local dates (YYYY-MM-DD) or, for the
// audit log, local date-times.

import { Field } from "./Field";

export interface Period {
  from: string;
  to: string;
}

interface Props {
  value: Period;
  onChange: (period: Period) => void;
  /** The labels of the two ends, in the page's words. */
  labels: [string, string];
  /** The form names of the two ends. */
  names?: [string, string];
  type?: "date" | "datetime-local";
  required?: boolean;
}

export function PeriodPicker({ value, onChange, labels, names = ["from", "to"], type = "date", required = false }: Props) {
  return (
    <>
      <Field label={labels[0]} name={names[0]} type={type} required={required} value={value.from} onChange={(e) => onChange({ ...value, from: e.target.value })} />
      <Field label={labels[1]} name={names[1]} type={type} required={required} value={value.to} onChange={(e) => onChange({ ...value, to: e.target.value })} />
    </>
  );
}
