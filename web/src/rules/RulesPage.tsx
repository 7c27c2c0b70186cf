// The analytics rules of one channel (/analytics/rules?channel=ID, opened from the channels
// page): its live picture with the zones and lines drawn over it, the list of its rules, the
// selected rule's settings, and saving them all at once with the version they were loaded at
// (someone else's save in between is refused, and said so).

import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import type { Answer } from "../api/types";
import { useSession } from "../auth/session";
import { ChannelPage } from "../components/ChannelPage";
import { ServerError } from "../components/Field";
import { useI18n } from "../i18n/I18n";
import { useSubmit } from "../manage/useSubmit";
import { RuleCanvas } from "./RuleCanvas";
import type { Drawing } from "./RuleCanvas";
import { RuleForm, numberProblem } from "./RuleForm";
import type { Point } from "./geometry";
import { drawn, fromServer, newRule, nextId, payload, shapeOf } from "./ruleModel";
import type { RuleDraft, Shape } from "./ruleModel";
import "./rules.css";

type Saved = Answer<"/api/v1/channels/{channel_id}/analytics/rules">;
type Loaded = Parameters<typeof fromServer>[0];

function firstProblem(rules: RuleDraft[]): RuleDraft | undefined {
  return rules.find(
    (r) =>
      !drawn(r) ||
      !r.name.trim() ||
      r.classes.length === 0 ||
      numberProblem("min_score", r.min_score) ||
      numberProblem("cooldown_s", r.cooldown_s) ||
      (r.kind === "loitering" && numberProblem("dwell_s", r.dwell_s)) ||
      (r.kind === "crowding" && numberProblem("max_count", r.max_count)),
  );
}

function RulesEditor({ channelId, name }: { channelId: string; name: string }) {
  const { t, time } = useI18n();
  const { can } = useSession();
  const submit = useSubmit();
  const [saved, setSaved] = useState<Saved | null>(null);
  const [rules, setRules] = useState<RuleDraft[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [drawing, setDrawing] = useState<Drawing | null>(null);
  const [local, setLocal] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const show = useCallback((answer: Saved) => {
    setSaved(answer);
    const loaded = answer.rules.map((r) => fromServer(r as Loaded));
    setRules(loaded);
    setSelected((current) => (loaded.some((r) => r.id === current) ? current : loaded[0]?.id ?? null));
    setDrawing(null);
  }, []);
  const load = useCallback(() => {
    setDone(false);
    void submit.run(async () => show(await api<Saved>(`/channels/${channelId}/analytics/rules`)));
    // submit is a fresh object each render; loading depends on the channel alone
  }, [channelId, show]);
  useEffect(load, [load]);

  const rule = rules.find((r) => r.id === selected);
  const change = (next: RuleDraft) => {
    setDone(false);
    setRules((all) => all.map((r) => (r.id === next.id ? next : r)));
  };
  const add = (shape: Shape) => {
    const id = nextId(rules);
    const n = rules.filter((r) => shapeOf(r.kind) === shape).length + 1;
    const name = t(shape === "zone" ? "rules.newZone" : "rules.newLine", { n });
    setRules((all) => [...all, newRule(shape, id, name)]);
    setSelected(id);
    setDrawing({ shape, points: [] });
    setDone(false);
  };
  const drawnShape = (points: Point[]) => {
    if (!rule) return;
    change(shapeOf(rule.kind) === "zone" ? { ...rule, zone: points } : { ...rule, line: points });
    setDrawing(null);
  };
  const remove = (id: string) => {
    setRules((all) => all.filter((r) => r.id !== id));
    setSelected(null);
    setDrawing(null);
    setDone(false);
  };
  const save = async () => {
    const broken = firstProblem(rules);
    setLocal(broken ? t("rules.needShape", { name: broken.name || broken.id }) : null);
    if (broken) {
      setSelected(broken.id);
      return;
    }
    const body = { version: saved?.version ?? 0, rules: rules.map(payload) };
    const ok = await submit.run(async () =>
      show(await api<Saved>(`/channels/${channelId}/analytics/rules`, { method: "PUT", json: body })),
    );
    setDone(ok);
  };

  return (
    <div className="rules-editor">
      <div className="rules-picture">
        <RuleCanvas
          channelId={channelId}
          title={name}
          rules={rules}
          selected={selected}
          drawing={drawing}
          onDrawing={setDrawing}
          onDrawn={drawnShape}
        />
        <p className="muted" role="status" data-testid="rules-hint">
          {drawing ? t(drawing.shape === "zone" ? "rules.drawZone" : "rules.drawLine") : "\u00a0"}
        </p>
      </div>
      <div className="rules-side">
        <h3>{t("rules.list")}</h3>
        <p className="muted" data-testid="rules-version">
          {saved && saved.version > 0 && saved.updated_at ? (
            <>
              {t("rules.version", { version: saved.version, time: time(saved.updated_at) })}{" "}
              <span translate="no">{saved.updated_by}</span>
            </>
          ) : (
            t("rules.unsaved")
          )}
        </p>
        {rules.length === 0 ? (
          <p className="muted">{t("rules.none")}</p>
        ) : (
          <ul className="rules-list">
            {rules.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  aria-pressed={r.id === selected}
                  onClick={() => {
                    setSelected(r.id);
                    setDrawing(null);
                  }}
                >
                  {r.name || r.id} · {t(`alarms.kinds.${r.kind}`)}
                  {r.enabled ? "" : t("rules.disabled")}
                </button>
              </li>
            ))}
          </ul>
        )}
        {can("catalog:write") && (
          <div className="rule-actions">
            <button type="button" onClick={() => add("zone")}>{t("rules.addZone")}</button>
            <button type="button" onClick={() => add("line")}>{t("rules.addLine")}</button>
          </div>
        )}
        {rule && (
          <RuleForm
            key={rule.id}
            rule={rule}
            drawing={drawing !== null}
            onChange={change}
            onRedraw={() => setDrawing({ shape: shapeOf(rule.kind), points: [] })}
            onRemove={() => remove(rule.id)}
          />
        )}
        {can("catalog:write") && (
          <div className="rule-actions">
            <button type="button" className="primary" disabled={submit.busy} onClick={() => void save()}>
              {t("rules.save")}
            </button>
            <button type="button" onClick={load}>{t("rules.reload")}</button>
          </div>
        )}
        {local && <p className="error" role="alert">{local}</p>}
        <ServerError message={submit.error} />
        {done && saved && <p className="success" role="status" data-testid="rules-saved">{t("rules.saved", { version: saved.version })}</p>}
      </div>
    </div>
  );
}

export function RulesPage() {
  return (
    <ChannelPage
      name="rules"
      page="/analytics/rules"
      editor={(channelId, name) => <RulesEditor channelId={channelId} name={name} />}
    />
  );
}
