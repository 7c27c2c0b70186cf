// Why the user watches recorded video: a purpose (and a case number where there is one), asked
// once per browser tab and sent with every playback and export, which the server audits.
// Pure logic (checks and the tab's storage) so the unit tests run it without a browser.

/** The server's bounds (PlaybackStart.purpose, .case): printable, 1–200 and 1–64 characters. */
export const PURPOSE_MAX = 200;
export const CASE_MAX = 64;

export interface Purpose {
  purpose: string;
  /** The case number, or null when the viewing belongs to no case. */
  caseNumber: string | null;
}

/** Why typed text is not accepted, as a string key suffix; null when it is. */
export type PurposeProblem = "purposeMissing" | "purposeLong" | "caseLong" | "control";

const CONTROL = /[\u0000-\u001f\u007f]/;

/** The purpose and case as typed, trimmed and checked: the committed value, or why not. */
export function checkPurpose(purpose: string, caseNumber: string): Purpose | PurposeProblem {
  const why = purpose.trim();
  const number = caseNumber.trim();
  if (!why) return "purposeMissing";
  if (CONTROL.test(why) || CONTROL.test(number)) return "control";
  if ([...why].length > PURPOSE_MAX) return "purposeLong";
  if ([...number].length > CASE_MAX) return "caseLong";
  return { purpose: why, caseNumber: number || null };
}

/** The committed purpose in `storage` (a tab's session storage) under `key`, or null. */
export function keptPurpose(storage: Pick<Storage, "getItem">, key: string): Purpose | null {
  try {
    const value = JSON.parse(storage.getItem(key) ?? "null") as Partial<Purpose> | null;
    if (typeof value?.purpose !== "string") return null;
    const checked = checkPurpose(value.purpose, typeof value.caseNumber === "string" ? value.caseNumber : "");
    return typeof checked === "string" ? null : checked;
  } catch {
    return null;
  }
}

/** Keep `value` for the tab (null forgets it). */
export function keepPurpose(storage: Pick<Storage, "setItem" | "removeItem">, key: string, value: Purpose | null): void {
  if (value) storage.setItem(key, JSON.stringify(value));
  else storage.removeItem(key);
}

/** The purpose and case as the playback and export requests take them. */
export function purposeFields(value: Purpose): { purpose: string; case?: string } {
  return value.caseNumber ? { purpose: value.purpose, case: value.caseNumber } : { purpose: value.purpose };
}
