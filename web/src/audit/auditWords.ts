// An audit record in words (auditStrings.ts): its action, its outcome and the details an auditor
// needs (which account, which role and organisations). Codes without words read as "other" with
// the code; the record itself stays available as it was signed.

import type { AuditRecord } from "../api/types";
import type { Translate } from "../i18n/I18n";
import { isKey, wordOr } from "../i18n/problems";

export function actionWord(t: Translate, action: string): string {
  const key = `audit.action.${action}`;
  if (isKey(key)) return t(key);
  if (action.startsWith("cascade.")) return t("audit.action.cascade", { method: action.slice(8).toUpperCase() });
  return t("audit.action.other", { code: action });
}

const HTTP_WORDS: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  409: "conflict",
  413: "content-too-large",
  422: "invalid",
  429: "rate-limited",
  500: "internal-error",
  503: "unavailable",
};

export function outcomeWord(t: Translate, outcome: string): string {
  const key = `audit.outcome.${outcome}`;
  if (isKey(key)) return t(key);
  const http = /^http-(\d{3})$/.exec(outcome);
  if (http) {
    const status = Number(http[1]);
    const word = HTTP_WORDS[status];
    return t("audit.outcome.http", { status, word: word ? outcomeWord(t, word) : t("audit.outcome.error") });
  }
  const refused = /^refused (\d{3})$/.exec(outcome);
  if (refused) return t("audit.outcome.refused", { status: refused[1] });
  const answered = /^device answered (.+)$/.exec(outcome);
  if (answered) return t("audit.outcome.answered", { answer: answered[1] });
  if (/^\d{3}$/.test(outcome)) {
    return t(outcome.startsWith("2") ? "audit.outcome.sipOk" : "audit.outcome.sipFailed", { status: outcome });
  }
  return t("audit.outcome.other", { code: outcome });
}

type Detail = Record<string, unknown>;

function parse(detail: string): Detail {
  try {
    const value: unknown = JSON.parse(detail);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Detail) : {};
  } catch {
    return {};
  }
}

function scopesWord(t: Translate, scopes: unknown): string {
  return Array.isArray(scopes) && scopes.length ? scopes.join("、") : t("audit.detail.allScopes");
}

function valueWord(t: Translate, field: string, value: unknown): string {
  if (field === "role" && typeof value === "string") return wordOr(t, "role.", value);
  if (field === "scopes") return scopesWord(t, value);
  if (typeof value === "boolean") return t(value ? "audit.detail.yes" : "audit.detail.no");
  return String(value);
}

/** The details worth reading, in words: the role and organisations an account was given, what a
 * change changed, how a password was set. Other facts stay in the record. */
export function detailWords(t: Translate, record: AuditRecord): string[] {
  const detail = parse(record.detail);
  const words: string[] = [];
  if (typeof detail.role === "string") words.push(t("audit.detail.role", { role: valueWord(t, "role", detail.role) }));
  if ("scopes" in detail) words.push(t("audit.detail.scopes", { scopes: scopesWord(t, detail.scopes) }));
  if (detail.changes && typeof detail.changes === "object") {
    for (const [field, pair] of Object.entries(detail.changes as Record<string, unknown>)) {
      if (!Array.isArray(pair) || pair.length !== 2) continue;
      const [before, after] = pair.map((v: unknown) => valueWord(t, field, v));
      words.push(t("audit.detail.change", { field: wordOr(t, "field.", field), before, after }));
    }
  }
  if (typeof detail.how === "string") words.push(wordOr(t, "audit.detail.how.", detail.how));
  if (typeof detail.tokens_revoked === "number" && detail.tokens_revoked > 0) {
    words.push(t("audit.detail.revoked", { n: detail.tokens_revoked }));
  }
  return words;
}
