// The chosen mask's settings: its label, whether it is permanent (stays when an approved unmask
// lifts the others), the preset it belongs to, its outline redrawn, or the mask deleted. Its
// problem shows under it as it is typed; read-only, the same words without the controls.

import { Field } from "../components/Field";
import { useI18n } from "../i18n/I18n";
import type { Translate } from "../i18n/I18n";
import { LABEL_MAX, MAX_POINTS, maskProblem } from "./maskModel";
import type { MaskDraft, MaskProblem } from "./maskModel";

/** A mask's problem in words, with the limit it names. */
export function problemWords(t: Translate, problem: MaskProblem): string {
  return t(`masks.problem.${problem}`, { max: problem === "points" ? MAX_POINTS : LABEL_MAX });
}

interface Props {
  mask: MaskDraft;
  editable: boolean;
  drawing: boolean;
  onChange: (next: MaskDraft) => void;
  onRedraw: () => void;
  onRemove: () => void;
}

export function MaskForm({ mask, editable, drawing, onChange, onRedraw, onRemove }: Props) {
  const { t } = useI18n();
  const problem = maskProblem(mask);
  const words = (which: "label" | "preset" | "shape") => {
    if (!problem) return null;
    const shapeProblem = problem === "points" || problem === "crossing";
    const presetProblem = problem === "preset";
    const mine = which === "shape" ? shapeProblem : which === "preset" ? presetProblem : !shapeProblem && !presetProblem;
    return mine ? problemWords(t, problem) : null;
  };
  const shapeWords = words("shape");

  if (!editable) {
    return (
      <dl className="mask-form read-only" aria-label={mask.label}>
        <dt>{t("masks.label")}</dt>
        <dd>{mask.label}</dd>
        <dt>{t("masks.permanent")}</dt>
        <dd>{mask.permanent ? "✓" : "—"}</dd>
        <dt>{t("masks.preset")}</dt>
        <dd>{mask.preset || "—"}</dd>
        <dt>{t("masks.points", { n: mask.points.length })}</dt>
        <dd />
      </dl>
    );
  }
  return (
    <form className="form mask-form" aria-label={mask.label || mask.key} onSubmit={(e) => e.preventDefault()} noValidate>
      <Field
        label={t("masks.label")}
        name="mask-label"
        value={mask.label}
        maxLength={LABEL_MAX}
        onChange={(e) => onChange({ ...mask, label: e.target.value })}
        error={words("label")}
      />
      <label className="check">
        <input type="checkbox" name="mask-permanent" checked={mask.permanent} onChange={(e) => onChange({ ...mask, permanent: e.target.checked })} />
        {t("masks.permanent")}
      </label>
      <Field
        label={t("masks.preset")}
        name="mask-preset"
        value={mask.preset}
        inputMode="numeric"
        maxLength={3}
        onChange={(e) => onChange({ ...mask, preset: e.target.value })}
        error={words("preset")}
      />
      <p className="muted" data-testid="mask-points">{t("masks.points", { n: mask.points.length })}</p>
      {shapeWords && <p className="error" role="alert">{shapeWords}</p>}
      <div className="mask-actions">
        <button type="button" disabled={drawing} onClick={onRedraw}>{t("masks.redraw")}</button>
        <button type="button" className="danger" disabled={drawing} onClick={onRemove}>{t("masks.remove")}</button>
      </div>
    </form>
  );
}
