// The export form's default range: recorded video around the playhead, never an empty stretch.

import type { Span } from "./segments";
import { HOUR_MS, MINUTE_MS } from "./zoom";
import type { View } from "./zoom";

/** The most the default covers: a day of continuous recording is not exported by accident. */
export const DEFAULT_MAX_MS = HOUR_MS;

export interface Range {
  start: number;
  end: number;
}

/**
 * The recorded span on screen nearest ``at`` (the playhead; the window's end when there is none,
 * so the latest recording), clipped to the window and to an hour around ``at``; whole minutes
 * inside the recording where a minute or more of it is left (the form's inputs count minutes).
 * Null when nothing on screen is recorded.
 */
export function exportDefault(spans: Span[], view: View, at: number | null): Range | null {
  const ref = at ?? view.end;
  const shown = spans
    .filter((s) => s.recorded)
    .map((s) => ({ start: Math.max(s.start, view.start), end: Math.min(s.end, view.end) }))
    .filter((s) => s.end > s.start);
  if (shown.length === 0) return null;
  const distance = (s: Range) => (ref < s.start ? s.start - ref : ref > s.end ? ref - s.end : 0);
  let { start, end } = shown.reduce((best, s) => (distance(s) < distance(best) ? s : best));
  if (end - start > DEFAULT_MAX_MS) {
    const half = DEFAULT_MAX_MS / 2;
    const centre = Math.min(Math.max(ref, start + half), end - half);
    [start, end] = [centre - half, centre + half];
  }
  const inside = { start: Math.ceil(start / MINUTE_MS) * MINUTE_MS, end: Math.floor(end / MINUTE_MS) * MINUTE_MS };
  if (inside.end - inside.start >= MINUTE_MS) return inside;
  return { start: Math.floor(start / MINUTE_MS) * MINUTE_MS, end: Math.ceil(end / MINUTE_MS) * MINUTE_MS };
}
