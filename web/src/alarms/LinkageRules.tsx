// The linkage rules (报警联动规则), read-only, under the alarm list for those who may change them
// (catalog:write): each rule's name, the alarms it matches, whether it is on, and its actions in
// words. Rules are replaced through PUT /alarms/linkage.

import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Answer } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { actionWord, matchWord, ruleOf } from "./linkageWords";

type Rule = Answer<"/api/v1/alarms/linkage">[number];

export function LinkageRules() {
  const { t } = useI18n();
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Rule[]>("/alarms/linkage").then(setRules, setError);
  }, []);
  return (
    <section className="linkage-rules" aria-labelledby="linkage-title" data-testid="linkage-rules">
      <h3 id="linkage-title">{t("linkage.title")}</h3>
      {error != null && <p className="error" role="alert">{problemText(t, error)}</p>}
      {rules && rules.length === 0 && <p className="muted">{t("linkage.none")}</p>}
      {rules && rules.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("linkage.name")}</th>
              <th scope="col">{t("linkage.matches")}</th>
              <th scope="col">{t("linkage.enabled")}</th>
              <th scope="col">{t("linkage.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.id} data-rule={rule.id}>
                <td>{rule.name}</td>
                <td>
                  {matchWord(t, rule.source ?? null, rule.kind ?? null)}
                  {ruleOf(rule.kind ?? null) !== null && (
                    <>
                      {" "}
                      <span className="mono" translate="no">
                        {ruleOf(rule.kind ?? null)}
                      </span>
                    </>
                  )}
                </td>
                <td>{rule.enabled ? t("linkage.on") : t("linkage.off")}</td>
                <td>
                  <ul className="linkage-actions">
                    {rule.actions.map((action, index) => (
                      <li key={index} data-action={String(action.type)}>
                        {actionWord(t, action)}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
