// Choosing an organisation: a labelled select of the organisations the caller may see, ordered by
// their codes, with an empty first choice where choosing none is allowed.

import type { Organisation } from "../api/types";
import { Field } from "./Field";

interface Props {
  label: string;
  organisations: Iterable<Organisation>;
  value: string;
  onChange: (id: string) => void;
  name?: string;
  /** The words of an empty first choice (value ""); none when an organisation must be chosen. */
  none?: string;
  /** How a choice reads: the name with the code after it (reports), or the code first (forms). */
  codeFirst?: boolean;
}

/** The organisations ordered by their codes. */
export function byCode(organisations: Iterable<Organisation>): Organisation[] {
  return [...organisations].sort((a, b) => a.id.localeCompare(b.id));
}

export function OrgSelect({ label, organisations, value, onChange, name, none, codeFirst = false }: Props) {
  return (
    <Field label={label}>
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)} aria-label={label}>
        {none !== undefined && <option value="">{none}</option>}
        {byCode(organisations).map((o) => (
          <option key={o.id} value={o.id}>{codeFirst ? `${o.id} ${o.name}` : `${o.name}（${o.id}）`}</option>
        ))}
      </select>
    </Field>
  );
}
