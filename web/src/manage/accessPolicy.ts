// The access policy's pure rules, as the console edits them: the four levels a channel's
// sensitivity and a user's clearance take, and an access window checked and shaped for the PUT
// that replaces them all (the server checks again; these only spare a round trip).

import type { AccessAction, AccessWindow, Role } from "../api/types";
import type { StringKey } from "../i18n/strings";

/** 0 public, 1 internal, 2 sensitive, 3 secret. */
export const LEVELS = [0, 1, 2, 3] as const;
export type Level = (typeof LEVELS)[number];

export const ACCESS_ACTIONS: AccessAction[] = ["live", "playback", "download", "export", "ptz", "unmask", "share", "search"];
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** The word of `level`; a level the console does not know reads as the nearest it does. */
export function levelKey(level: number): StringKey {
  const known = Math.min(3, Math.max(0, Math.trunc(level))) as Level;
  return `level.${known}`;
}

/** "HH:MM" of 00:00–23:59 (what the form takes). */
export function checkTime(value: string): boolean {
  return /^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(value);
}

/** The server answers times as "HH:MM:SS"; the console shows and sends "HH:MM". */
export function shortTime(value: string): string {
  return value.slice(0, 5);
}

/** What the add form holds: for whom (a role or a user), which action, when. */
export interface WindowDraft {
  who: "role" | "user";
  role: Role;
  userId: string;
  action: AccessAction;
  start: string;
  end: string;
  days: number[];
}

export type DraftProblem = "start" | "end" | "user";

/** What is wrong with `draft`, field by field (empty when it may be added). */
export function draftProblems(draft: WindowDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (!checkTime(draft.start)) problems.push("start");
  if (!checkTime(draft.end)) problems.push("end");
  if (draft.who === "user" && !/^[1-9][0-9]*$/.test(draft.userId)) problems.push("user");
  return problems;
}

/** `draft` as the API takes it: a role or a user, never both; no days (or all seven) is every day. */
export function windowOf(draft: WindowDraft): AccessWindow {
  const days = [...new Set(draft.days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  return {
    action: draft.action,
    start: draft.start,
    end: draft.end,
    days: days.length === 0 || days.length === 7 ? null : days,
    role: draft.who === "role" ? draft.role : null,
    user_id: draft.who === "user" ? Number(draft.userId) : null,
  };
}

/** The windows as a PUT sends them: times cut to "HH:MM", every field present. */
export function windowsBody(windows: AccessWindow[]): { windows: AccessWindow[] } {
  return {
    windows: windows.map((w) => ({
      action: w.action,
      start: shortTime(w.start),
      end: shortTime(w.end),
      days: w.days ?? null,
      role: w.role ?? null,
      user_id: w.user_id ?? null,
    })),
  };
}
