// A channel's privacy masks as the editor holds them, and their rules, kept apart from React so
// `npm test` checks them: what the server answered made into drafts, a draft's first problem
// (the server's rules: a label of 1–64 characters, 3–64 points, an outline that neither crosses
// itself nor encloses nothing, a preset 0–255), whether a click closes the outline being drawn,
// and the drafts as the PUT that replaces them all. The server checks again; these spare a
// round trip and say which mask is at fault.

import type { Mask, MasksPut } from "../api/types";
import type { Point } from "../rules/geometry";

export const MAX_MASKS = 32;
export const MAX_POINTS = 64;
export const LABEL_MAX = 64;
/** How near (pixels) to the first point a click closes the outline. */
export const CLOSE_PIXELS = 10;

export interface MaskDraft {
  /** Names the draft in the page (and the polygon's `data-mask`); never sent. */
  key: string;
  label: string;
  points: Point[];
  permanent: boolean;
  /** The preset as typed: "" for every view. */
  preset: string;
}

export type MaskProblem = "label" | "labelLong" | "control" | "points" | "crossing" | "preset";

const CONTROL = /[\u0000-\u001f\u007f]/;
const EPSILON = 1e-12;

/** The server's masks as drafts, keyed `mask-1`, `mask-2`, … in their order. */
export function fromServer(masks: Mask[]): MaskDraft[] {
  return masks.map((m, i) => ({
    key: `mask-${i + 1}`,
    label: m.label,
    points: m.points.map((p) => [p[0], p[1]] as Point),
    permanent: m.permanent,
    preset: m.preset === null || m.preset === undefined ? "" : String(m.preset),
  }));
}

/** A key no draft has yet. */
export function nextKey(drafts: MaskDraft[]): string {
  const taken = new Set(drafts.map((d) => d.key));
  let n = drafts.length + 1;
  while (taken.has(`mask-${n}`)) n += 1;
  return `mask-${n}`;
}

/** Twice the signed area of the polygon (shoelace); its size is what matters here. */
function doubledArea(points: Point[]): number {
  let sum = 0;
  points.forEach(([x1, y1], i) => {
    const [x2, y2] = points[(i + 1) % points.length];
    sum += x1 * y2 - x2 * y1;
  });
  return sum;
}

/** Which side of the line a→b the point c is on: positive left, negative right, 0 on it. */
function orientation(a: Point, b: Point, c: Point): number {
  const value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return Math.abs(value) < EPSILON ? 0 : Math.sign(value);
}

/** Whether c, known to be on the line through a and b, lies within the segment a–b. */
function within(a: Point, b: Point, c: Point): boolean {
  return (
    Math.min(a[0], b[0]) - EPSILON <= c[0] && c[0] <= Math.max(a[0], b[0]) + EPSILON &&
    Math.min(a[1], b[1]) - EPSILON <= c[1] && c[1] <= Math.max(a[1], b[1]) + EPSILON
  );
}

/** Whether the segments a–b and c–d meet (touching counts). */
function meet(a: Point, b: Point, c: Point, d: Point): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && within(a, b, c)) ||
    (o2 === 0 && within(a, b, d)) ||
    (o3 === 0 && within(c, d, a)) ||
    (o4 === 0 && within(c, d, b))
  );
}

/** Whether the closed outline through `points` crosses or touches itself: two edges that are
 * not neighbours meet, or two neighbours fold back over each other. */
export function selfCrossing(outline: Point[]): boolean {
  // A point given twice in a row is one corner.
  const points = outline.filter((p, i) => {
    const before = outline[(i + outline.length - 1) % outline.length];
    return outline.length === 1 || p[0] !== before[0] || p[1] !== before[1];
  });
  const n = points.length;
  if (n < 3) return false;
  const edge = (i: number): [Point, Point] => [points[i], points[(i + 1) % n]];
  for (let i = 0; i < n; i += 1) {
    const [a, b] = edge(i);
    // The next edge shares b: they fold back when its far end lies on this edge (or this
    // edge's start on it), all three in a line.
    const [, c] = edge((i + 1) % n);
    if (orientation(a, b, c) === 0 && (within(a, b, c) || within(b, c, a))) return true;
    for (let j = i + 2; j < n; j += 1) {
      if (i === 0 && j === n - 1) continue; // the last edge is the first's neighbour
      const [p, q] = edge(j);
      if (meet(a, b, p, q)) return true;
    }
  }
  return false;
}

/** The first thing wrong with `draft`, or null. */
export function maskProblem(draft: MaskDraft): MaskProblem | null {
  const label = draft.label.trim();
  if (!label) return "label";
  if (CONTROL.test(label)) return "control";
  if ([...label].length > LABEL_MAX) return "labelLong";
  if (draft.points.length < 3 || draft.points.length > MAX_POINTS) return "points";
  if (Math.abs(doubledArea(draft.points)) < EPSILON || selfCrossing(draft.points)) return "crossing";
  if (draft.preset.trim() !== "" && !/^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/.test(draft.preset.trim())) {
    return "preset";
  }
  return null;
}

/** Whether a click at `point` closes the outline being drawn: it has three points or more and
 * the click is within `CLOSE_PIXELS` of its first on a picture `width` × `height`. */
export function closesOutline(drawing: Point[], point: Point, width: number, height: number): boolean {
  if (drawing.length < 3) return false;
  const [first] = drawing;
  return Math.hypot((first[0] - point[0]) * width, (first[1] - point[1]) * height) <= CLOSE_PIXELS;
}

/** The drafts as the PUT takes them: labels trimmed, no preset ("") as null. */
export function masksBody(drafts: MaskDraft[]): MasksPut {
  return {
    masks: drafts.map((d) => ({
      label: d.label.trim(),
      points: d.points.map((p) => [p[0], p[1]]),
      permanent: d.permanent,
      preset: d.preset.trim() === "" ? null : Number(d.preset.trim()),
    })),
  };
}
