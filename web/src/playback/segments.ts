// A day of one channel's recordings as alternating recorded spans and gaps, clipped to the day.

import type { RecordingSegment } from "../api/types";

export interface Span {
  start: number; // ms since epoch
  end: number;
  recorded: boolean;
}

export const DAY_MS = 24 * 3600 * 1000;

/** Local midnight of the day ``date`` (YYYY-MM-DD) names. */
export function dayStart(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y, m - 1, d).getTime();
}

export function spans(segments: RecordingSegment[], from: number, to: number): Span[] {
  const recorded = segments
    .map((s) => ({ start: Math.max(from, Date.parse(s.start)), end: Math.min(to, Date.parse(s.end)) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const span of recorded) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  const result: Span[] = [];
  let cursor = from;
  for (const span of merged) {
    if (span.start > cursor) result.push({ start: cursor, end: span.start, recorded: false });
    result.push({ start: span.start, end: span.end, recorded: true });
    cursor = span.end;
  }
  if (cursor < to) result.push({ start: cursor, end: to, recorded: false });
  return result;
}
