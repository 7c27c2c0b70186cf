// A failure as a person reads it, in the console's language: the server's coded reason
// (problem+json `code` and `params`, problemStrings.ts), a refused request's first broken field
// (422 `request.invalid`, fieldStrings.ts), else the type's generic sentence with the code.
// The server's English `detail` is never shown.

import { ApiError } from "../api/client";
import type { FieldProblem, ProblemParams } from "../api/client";
import type { Translate } from "./I18n";
import { STRINGS } from "./strings";
import type { StringKey } from "./strings";

/** Whether `key` is a string of the console (codes come from the server, keys are typed). */
export function isKey(key: string): key is StringKey {
  return Object.prototype.hasOwnProperty.call(STRINGS, key);
}

/** `prefix + value` in words when the console has them, else the value itself (a code). */
export function wordOr(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}${value}`;
  return isKey(key) ? t(key) : value;
}

/** Params whose values are codes (an entity, a permission, a field, a role, a job state) are
 * put in words; IDs and figures are kept. */
function worded(t: Translate, params: ProblemParams): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) out[name] = "—";
    else if (typeof value === "number") out[name] = value;
    else if (typeof value === "boolean") out[name] = String(value);
    else if (name === "entity") out[name] = wordOr(t, "entity.", value);
    else if (name === "permission") out[name] = wordOr(t, "perm.", value);
    else if (name === "field") out[name] = fieldWord(t, value.split("."));
    else if (name === "role") out[name] = wordOr(t, "role.", value);
    else if (name === "state") out[name] = isKey(`jobState.${value}`) ? wordOr(t, "jobState.", value) : wordOr(t, "alarms.states.", value);
    else if (name === "method") out[name] = wordOr(t, "sip.method.", value);
    else out[name] = value;
  }
  return out;
}

/** The field a location names: its last part that is not a list index (`body.scopes.0`). */
function fieldWord(t: Translate, loc: string[]): string {
  const name = [...loc].reverse().find((part) => !/^\d+$/.test(part)) ?? "body";
  return wordOr(t, "field.", name);
}

function invalidText(t: Translate, error: FieldProblem | undefined): string {
  if (!error) return t("invalid.request");
  const params = { ...worded(t, error.ctx), field: fieldWord(t, error.loc), type: error.type };
  const key = `invalid.${error.type}`;
  return isKey(key) ? t(key, params) : t("invalid.fallback", params);
}

/** A reason code with its params in words: the code's own sentence, else `fallback` (a key)
 * with the code; for KPI reasons and export failures as much as for problems. */
export function reasonText(
  t: Translate,
  code: string,
  params: ProblemParams,
  fallback: StringKey,
  extra: Record<string, string | number> = {},
): string {
  const key = `problem.${code}`;
  if (isKey(key)) return t(key, worded(t, params));
  return t("problem.withCode", { reason: t(fallback, extra), code });
}

/** What went wrong, in words: for an API answer, a network failure or anything else. */
export function problemText(t: Translate, failure: unknown): string {
  if (!(failure instanceof ApiError)) return t("problem.withCode", { reason: t("problem.page"), code: nameOf(failure) });
  if (failure.status === 0) return t("problem.type.network");
  if (failure.code === "request.invalid") return invalidText(t, failure.errors[0]);
  const typeKey = `problem.type.${failure.type}`;
  const fallback: StringKey = isKey(typeKey) ? typeKey : "problem.type.http";
  return reasonText(t, failure.code, failure.params, fallback, { status: failure.status });
}

function nameOf(failure: unknown): string {
  return failure instanceof Error ? failure.name : typeof failure;
}
