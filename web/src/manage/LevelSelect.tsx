// A channel's sensitivity or a user's clearance: a select of the four levels in words that PUTs
// the chosen one to `path` as `{ [field]: level }`, then reloads; only the words where the
// caller may not change it.

import { api } from "../api/client";
import { useI18n } from "../i18n/I18n";
import { LEVELS, levelKey } from "./accessPolicy";
import type { useSubmit } from "./useSubmit";

interface Props {
  level: number;
  /** `/channels/{id}/sensitivity` or `/users/{id}/clearance`. */
  path: string;
  field: "sensitivity" | "clearance";
  label: string;
  editable: boolean;
  submit: ReturnType<typeof useSubmit>;
  reload: () => void;
}

export function LevelSelect({ level, path, field, label, editable, submit, reload }: Props) {
  const { t } = useI18n();
  if (!editable) return <>{t(levelKey(level))}</>;
  const change = async (value: number) => {
    if (await submit.run(() => api(path, { method: "PUT", json: { [field]: value } }))) reload();
  };
  return (
    <select value={level} aria-label={label} disabled={submit.busy} onChange={(e) => void change(Number(e.target.value))}>
      {LEVELS.map((l) => (
        <option key={l} value={l}>{t(levelKey(l))}</option>
      ))}
    </select>
  );
}
