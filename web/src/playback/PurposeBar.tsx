// The playback page's purpose (用途) and optional case number: typed, then committed with a
// button, so a half-typed word is never sent; kept for the browser tab. Every playback and
// export of the page carries the committed value, and the server audits it.

import { useState } from "react";
import type { FormEvent } from "react";
import { useI18n } from "../i18n/I18n";
import { CASE_MAX, PURPOSE_MAX, checkPurpose, keepPurpose, keptPurpose } from "./purpose";
import type { Purpose } from "./purpose";

const KEPT = "vigil.playback.purpose";

/** The tab's committed purpose and a setter that keeps it. */
export function usePurpose(): [Purpose | null, (value: Purpose | null) => void] {
  const [value, setValue] = useState<Purpose | null>(() => keptPurpose(window.sessionStorage, KEPT));
  const set = (next: Purpose | null) => {
    keepPurpose(window.sessionStorage, KEPT, next);
    setValue(next);
  };
  return [value, set];
}

export function PurposeBar({ value, onCommit }: { value: Purpose | null; onCommit: (value: Purpose) => void }) {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState(value?.purpose ?? "");
  const [caseNumber, setCaseNumber] = useState(value?.caseNumber ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const changed = purpose.trim() !== (value?.purpose ?? "") || caseNumber.trim() !== (value?.caseNumber ?? "");

  const commit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkPurpose(purpose, caseNumber);
    if (typeof checked === "string") {
      setProblem(t(`purpose.${checked}`, { max: checked === "caseLong" ? CASE_MAX : PURPOSE_MAX }));
      return;
    }
    setProblem(null);
    setPurpose(checked.purpose);
    setCaseNumber(checked.caseNumber ?? "");
    onCommit(checked);
  };

  return (
    <form className="purpose-bar toolbar" onSubmit={commit} aria-label={t("purpose.form")}>
      <label className="inline">
        {t("purpose.purpose")}
        <input name="view-purpose" value={purpose} maxLength={PURPOSE_MAX} onChange={(e) => setPurpose(e.target.value)} />
      </label>
      <label className="inline">
        {t("purpose.case")}
        <input name="view-case" value={caseNumber} maxLength={CASE_MAX} onChange={(e) => setCaseNumber(e.target.value)} />
      </label>
      <button type="submit" disabled={!changed && value !== null}>
        {t("purpose.commit")}
      </button>
      {problem ? (
        <span className="error" role="alert">{problem}</span>
      ) : (
        <span className="muted" data-testid="purpose-state">
          {value ? t("purpose.set", { purpose: value.purpose }) : t("purpose.needed")}
          {value && changed ? ` ${t("purpose.unsaved")}` : ""}
        </span>
      )}
    </form>
  );
}
