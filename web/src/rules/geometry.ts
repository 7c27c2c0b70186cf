// The drawing area's coordinate maths, kept apart from React so `npm test` checks it: a pointer
// position to the normalised coordinates a rule stores (0..1 of the picture, y down, as
// vigil.analytics.rules.geometry reads them) and back to pixels, and the arrow a line shows for
// its direction. Side A of a line is on the left walking from its first point to its second as
// drawn on screen; an arrow points the way a crossing raises an event.

export type Point = [number, number];
export type Direction = "a_to_b" | "b_to_a" | "both";

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** How many decimals a stored coordinate keeps: a ten-thousandth of the picture. */
const DECIMALS = 4;

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function rounded(value: number): number {
  const scale = 10 ** DECIMALS;
  return Math.round(value * scale) / scale;
}

/** The normalised point under a pointer at (clientX, clientY) over the picture's box. */
export function toNormalised(clientX: number, clientY: number, box: Box): Point {
  if (box.width <= 0 || box.height <= 0) return [0, 0];
  return [
    rounded(clamp01((clientX - box.left) / box.width)),
    rounded(clamp01((clientY - box.top) / box.height)),
  ];
}

/** A normalised point in pixels of a picture `width` × `height`. */
export function toPixels(point: Point, width: number, height: number): Point {
  return [point[0] * width, point[1] * height];
}

/** A normalised point moved by (dx, dy), kept in the picture (the keyboard's cursor). */
export function moved(point: Point, dx: number, dy: number): Point {
  return [rounded(clamp01(point[0] + dx)), rounded(clamp01(point[1] + dy))];
}

/** Whether two normalised points are within `pixels` of each other on a picture of that size
 * (the second click of a double-click adds no point). */
export function samePlace(a: Point, b: Point, width: number, height: number, pixels = 4): boolean {
  return Math.hypot((a[0] - b[0]) * width, (a[1] - b[1]) * height) <= pixels;
}

/** The direction after the flip control: A→B and B→A swap, both ways stays. */
export function flipped(direction: Direction): Direction {
  if (direction === "both") return "both";
  return direction === "a_to_b" ? "b_to_a" : "a_to_b";
}

/** SVG points attribute of a polygon or polyline in pixels. */
export function pointsAttribute(points: Point[], width: number, height: number): string {
  return points
    .map((p) => toPixels(p, width, height))
    .map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`)
    .join(" ");
}

export interface Arrow {
  /** Where the shaft starts and ends, in pixels. */
  from: Point;
  to: Point;
  /** The two barbs of the head, in pixels. */
  head: [Point, Point];
}

/** The arrows a line shows for its direction, in pixels: from its middle towards side B
 * (a_to_b), towards side A (b_to_a), or one each way (both). Side A is on the left walking
 * from the first point to the second, which on a screen (y down) is the normal (dy, −dx). */
export function directionArrows(line: Point[], direction: Direction, width: number, height: number, length = 40): Arrow[] {
  if (line.length !== 2) return [];
  const [a, b] = line.map((p) => toPixels(p, width, height));
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const size = Math.hypot(dx, dy);
  if (size === 0) return [];
  const towardsA: Point = [dy / size, -dx / size];
  const towardsB: Point = [-towardsA[0], -towardsA[1]];
  const middle: Point = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const ways = direction === "both" ? [towardsB, towardsA] : direction === "a_to_b" ? [towardsB] : [towardsA];
  return ways.map(([ux, uy]) => {
    const to: Point = [middle[0] + ux * length, middle[1] + uy * length];
    const barb = length / 3;
    // The barbs: back from the tip along the shaft, spread either side of it.
    const back: Point = [to[0] - ux * barb, to[1] - uy * barb];
    const head: [Point, Point] = [
      [back[0] - uy * barb * 0.7, back[1] + ux * barb * 0.7],
      [back[0] + uy * barb * 0.7, back[1] - ux * barb * 0.7],
    ];
    return { from: middle, to, head };
  });
}
