// Choosing one of a fixed list of codes (a state, a role, a kind): a labelled select whose
// options read as the caller words them, with an empty first choice where choosing none (or
// "all", in a filter) is allowed. OrgSelect and ChannelPicker choose catalog entries instead.

import { Field } from "./Field";

/** `T` is what may be chosen: the codes, and "" too where the empty first choice is offered. */
interface Props<T extends string> {
  label: string;
  choices: readonly Exclude<T, "">[];
  /** How a choice reads. */
  word: (choice: Exclude<T, "">) => string;
  value: T;
  onChange: (value: T) => void;
  name?: string;
  /** The words of an empty first choice (value ""); none when a choice must be made. */
  none?: string;
}

export function ChoiceSelect<T extends string>({ label, choices, word, value, onChange, name, none }: Props<T>) {
  return (
    <Field label={label}>
      <select name={name} value={value} onChange={(e) => onChange(e.target.value as T)} aria-label={label}>
        {none !== undefined && <option value="">{none}</option>}
        {choices.map((choice) => (
          <option key={choice} value={choice}>{word(choice)}</option>
        ))}
      </select>
    </Field>
  );
}
