// The one way the console writes dates and times, whatever the language: ISO 8601 order
// (2026-03-01 14:05:09) in the browser's time zone. The full instant with its offset goes in
// a <time dateTime> attribute where a page wants it kept.

const pad = (n: number) => String(n).padStart(2, "0");

/** The local calendar day: 2026-03-01. */
export function isoDate(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The local date and time to the second: 2026-03-01 14:05:09. */
export function isoDateTime(at: Date): string {
  return `${isoDate(at)} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

/** The local date and time to the minute as a datetime-local input holds it: 2026-03-01T14:05. */
export function localMinute(at: Date): string {
  return `${isoDate(at)}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
