// The playback timeline's pure logic (zoom windows, ticks, the export default), run by
// `npm test`: rolldown bundles it (types stripped, not checked) and node's own test runner runs it.

import assert from "node:assert/strict";
import { test } from "node:test";
import { exportDefault } from "../src/playback/exportRange";
import { DAY_MS, spans } from "../src/playback/segments";
import { HOUR_MS, MINUTE_MS, ZOOMS, follow, tickLabel, ticks, viewAround } from "../src/playback/zoom";

const DAY = new Date(2026, 2, 1).getTime(); // local midnight
const at = (h: number, m = 0, s = 0) => DAY + h * HOUR_MS + m * MINUTE_MS + s * 1000;

test("a window is centred on the time asked for, and moved (not shrunk) to stay in the day", () => {
  assert.deepEqual(viewAround(DAY, HOUR_MS, at(10)), { start: at(9, 30), end: at(10, 30) });
  assert.deepEqual(viewAround(DAY, HOUR_MS, at(0, 10)), { start: DAY, end: at(1) });
  assert.deepEqual(viewAround(DAY, HOUR_MS, at(23, 50)), { start: at(23), end: DAY + DAY_MS });
  assert.deepEqual(viewAround(DAY, DAY_MS, at(15)), { start: DAY, end: DAY + DAY_MS });
});

test("a window follows the cursor only when the cursor leaves it", () => {
  const view = viewAround(DAY, 5 * MINUTE_MS, at(10));
  assert.equal(follow(DAY, view, at(10, 2)), view);
  assert.equal(follow(DAY, view, null), view);
  assert.deepEqual(follow(DAY, view, at(10, 3)), { start: at(10, 0, 30), end: at(10, 5, 30) });
});

test("ticks: every 3 h over the day, 10 min over an hour, each minute over 5 min", () => {
  const [day, hour, five] = ZOOMS;
  const labels = (view: { start: number; end: number }, zoom: typeof day) =>
    ticks(DAY, view, zoom).map((tick) => tickLabel(DAY, tick));
  assert.deepEqual(labels(viewAround(DAY, day.span, at(12)), day), [
    "00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "24:00",
  ]);
  assert.deepEqual(labels(viewAround(DAY, hour.span, at(10, 5)), hour), ["09:40", "09:50", "10:00", "10:10", "10:20", "10:30"]);
  assert.deepEqual(labels(viewAround(DAY, five.span, at(10, 0, 30)), five), ["09:58", "09:59", "10:00", "10:01", "10:02", "10:03"]);
});

const recorded = (start: number, end: number) => ({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });

test("the export default is the recorded span around the cursor, in whole minutes inside it", () => {
  const day = spans([recorded(at(8, 0, 20), at(8, 30, 40)), recorded(at(14), at(14, 10))], DAY, DAY + DAY_MS);
  const whole = viewAround(DAY, DAY_MS, DAY);
  assert.deepEqual(exportDefault(day, whole, at(8, 10)), { start: at(8, 1), end: at(8, 30) });
  // No cursor: the latest recording; a cursor in a gap: the nearest recording.
  assert.deepEqual(exportDefault(day, whole, null), { start: at(14), end: at(14, 10) });
  assert.deepEqual(exportDefault(day, whole, at(9)), { start: at(8, 1), end: at(8, 30) });
  // Zoomed in: only the part on screen.
  assert.deepEqual(exportDefault(day, viewAround(DAY, 5 * MINUTE_MS, at(8, 10)), at(8, 10)), {
    start: at(8, 8),
    end: at(8, 12),
  });
  // Nothing recorded on screen: no default.
  assert.equal(exportDefault(day, viewAround(DAY, HOUR_MS, at(11)), at(11)), null);
});

test("a day of continuous recording defaults to an hour around the cursor, not to the day", () => {
  const day = spans([recorded(DAY, DAY + DAY_MS)], DAY, DAY + DAY_MS);
  const range = exportDefault(day, viewAround(DAY, DAY_MS, DAY), at(12));
  assert.deepEqual(range, { start: at(11, 30), end: at(12, 30) });
  assert.deepEqual(exportDefault(day, viewAround(DAY, DAY_MS, DAY), at(0, 5)), { start: DAY, end: at(1) });
});
