// Local calendar dates (YYYY-MM-DD) for the period pickers, and how hours are written.

import { isoDate } from "../i18n/dates";

/** The local date `days` days from today (negative: before). */
export function localDate(days = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return isoDate(d);
}

/** Hours with one decimal, or a dash when there is no figure: 2.25 → "2.3". */
export function hours(value: number | null): string {
  return value === null ? "—" : value.toFixed(1);
}
