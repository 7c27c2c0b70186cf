// The timeline's zoom: the window of the day on screen (24 h, 1 h or 5 min wide), kept inside
// the day and centred where the user is looking, and the ticks labelled for each width.

import { DAY_MS } from "./segments";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

export interface Zoom {
  /** Width of the window on screen. */
  span: number;
  /** Distance between labelled ticks. */
  tick: number;
}

/** Widest first: 24 h with a tick every 3 h, 1 h every 10 min, 5 min every minute. */
export const ZOOMS: Zoom[] = [
  { span: DAY_MS, tick: 3 * HOUR_MS },
  { span: HOUR_MS, tick: 10 * MINUTE_MS },
  { span: 5 * MINUTE_MS, tick: MINUTE_MS },
];

export interface View {
  start: number;
  end: number;
}

/** The window ``span`` wide centred on ``centre``, moved (not shrunk) to stay in the day. */
export function viewAround(dayFrom: number, span: number, centre: number): View {
  const width = Math.min(span, DAY_MS);
  const start = Math.min(dayFrom + DAY_MS - width, Math.max(dayFrom, centre - width / 2));
  return { start, end: start + width };
}

/** The same window, re-centred on ``at`` only if ``at`` left it (a playing cursor is followed). */
export function follow(dayFrom: number, view: View, at: number | null): View {
  if (at === null || (at >= view.start && at <= view.end)) return view;
  return viewAround(dayFrom, view.end - view.start, at);
}

/** Tick times inside ``view``, on multiples of ``zoom.tick`` counted from the day's midnight. */
export function ticks(dayFrom: number, view: View, zoom: Zoom): number[] {
  const first = dayFrom + Math.ceil((view.start - dayFrom) / zoom.tick) * zoom.tick;
  const result: number[] = [];
  for (let at = first; at <= view.end; at += zoom.tick) result.push(at);
  return result;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** HH:MM:SS of a time of the day in the browser's zone; the day's end reads 24:00:00. */
export function clock(dayFrom: number, at: number): string {
  if (at - dayFrom >= DAY_MS) return "24:00:00";
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A tick's label: HH:MM. */
export function tickLabel(dayFrom: number, at: number): string {
  return clock(dayFrom, at).slice(0, 5);
}
