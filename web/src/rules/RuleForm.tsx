// The selected rule's settings: name, kind, classes, thresholds, cool-down, enabled, and for a
// line its direction (with a control that flips it); redrawing and removing the rule.

import type { ChangeEvent } from "react";
import { Field } from "../components/Field";
import { useI18n } from "../i18n/I18n";
import type { StringKey } from "../i18n/strings";
import { flipped } from "./geometry";
import type { Direction } from "./geometry";
import { CLASSES, ZONE_KINDS, drawn, shapeOf, withKind } from "./ruleModel";
import type { RuleDraft, RuleKind } from "./ruleModel";

interface Props {
  rule: RuleDraft;
  drawing: boolean;
  onChange: (rule: RuleDraft) => void;
  onRedraw: () => void;
  onRemove: () => void;
}

type NumberField = "min_score" | "cooldown_s" | "dwell_s" | "max_count";

const LIMITS: Record<NumberField, [number, number]> = {
  min_score: [0, 1],
  cooldown_s: [0, 86400],
  dwell_s: [0, 86400],
  max_count: [1, 10000],
};

/** The field's rule message when its number is missing or out of its range. */
export function numberProblem(name: NumberField, value: number): [number, number] | null {
  const [min, max] = LIMITS[name];
  return Number.isFinite(value) && value >= min && value <= max ? null : [min, max];
}

export function RuleForm({ rule, drawing, onChange, onRedraw, onRemove }: Props) {
  const { t } = useI18n();
  const zone = shapeOf(rule.kind) === "zone";
  const number = (name: NumberField, label: StringKey, step: string) => {
    const problem = numberProblem(name, rule[name]);
    return (
      <Field
        label={t(label)}
        name={name}
        type="number"
        step={step}
        min={LIMITS[name][0]}
        max={LIMITS[name][1]}
        value={Number.isFinite(rule[name]) ? rule[name] : ""}
        onChange={(e: ChangeEvent<HTMLInputElement>) =>
          onChange({ ...rule, [name]: e.target.value === "" ? Number.NaN : Number(e.target.value) })
        }
        error={problem ? t("rules.number", { min: problem[0], max: problem[1] }) : null}
      />
    );
  };
  const toggle = (label: string) =>
    onChange({
      ...rule,
      classes: rule.classes.includes(label) ? rule.classes.filter((c) => c !== label) : [...rule.classes, label],
    });

  return (
    <form className="form rule-form" onSubmit={(e) => e.preventDefault()} aria-label={rule.name} noValidate>
      <Field
        label={t("common.name")}
        name="rule-name"
        maxLength={64}
        value={rule.name}
        onChange={(e) => onChange({ ...rule, name: e.target.value })}
        error={rule.name.trim() ? null : t("rule.required")}
      />
      <Field label={t("rules.kind")}>
        <select
          name="rule-kind"
          value={rule.kind}
          disabled={!zone}
          onChange={(e) => onChange(withKind(rule, e.target.value as RuleKind))}
        >
          {(zone ? ZONE_KINDS : (["line_crossing"] as RuleKind[])).map((kind) => (
            <option key={kind} value={kind}>{t(`alarms.kinds.${kind}`)}</option>
          ))}
        </select>
      </Field>
      <fieldset className="rule-classes">
        <legend>{t("rules.classes")}</legend>
        {CLASSES.map((label) => (
          <label key={label} className="check">
            <input type="checkbox" name={`class-${label}`} checked={rule.classes.includes(label)} onChange={() => toggle(label)} />
            {t(`alarms.labels.${label}`)}
          </label>
        ))}
        {rule.classes.length === 0 && <span className="field-error" role="alert">{t("rules.needClass")}</span>}
      </fieldset>
      {number("min_score", "rules.minScore", "0.05")}
      {rule.kind === "loitering" && number("dwell_s", "rules.dwell", "1")}
      {rule.kind === "crowding" && number("max_count", "rules.maxCount", "1")}
      {number("cooldown_s", "rules.cooldown", "1")}
      {!zone && (
        <div className="field">
          <span id={`direction-${rule.id}`}>{t("rules.direction")}</span>
          <div className="rule-direction">
            <select
              name="rule-direction"
              aria-labelledby={`direction-${rule.id}`}
              value={rule.direction}
              onChange={(e) => onChange({ ...rule, direction: e.target.value as Direction })}
            >
              {(["a_to_b", "b_to_a", "both"] as Direction[]).map((d) => (
                <option key={d} value={d}>{t(`rules.direction.${d}`)}</option>
              ))}
            </select>
            <button type="button" onClick={() => onChange({ ...rule, direction: flipped(rule.direction) })}>
              {t("rules.flip")}
            </button>
          </div>
        </div>
      )}
      <label className="check">
        <input type="checkbox" name="rule-enabled" checked={rule.enabled} onChange={(e) => onChange({ ...rule, enabled: e.target.checked })} />
        {t("rules.enabled")}
      </label>
      {!drawn(rule) && !drawing && <p className="muted">{t("rules.noShape")}</p>}
      <div className="rule-actions">
        <button type="button" onClick={onRedraw}>{t("rules.redraw")}</button>
        <button type="button" className="danger" onClick={onRemove}>{t("rules.remove")}</button>
      </div>
    </form>
  );
}
