// The rules editor's maths and model (src/rules), run by `npm test` without a browser: a pointer
// position to normalised coordinates and back, the keyboard cursor, the double-click's second
// click, the direction arrows (side A on the left walking along the line, y down), the flip, and
// the body each kind of rule sends.

import assert from "node:assert/strict";
import { test } from "node:test";
import { directionArrows, flipped, moved, pointsAttribute, samePlace, toNormalised, toPixels } from "../src/rules/geometry";
import { drawn, fromServer, newRule, nextId, payload, withKind } from "../src/rules/ruleModel";
import { RULES_STRINGS } from "../src/i18n/rulesStrings";

const BOX = { left: 100, top: 50, width: 800, height: 450 };

test("a pointer over the picture is a fraction of it, y down, kept inside and rounded", () => {
  assert.deepEqual(toNormalised(100, 50, BOX), [0, 0]);
  assert.deepEqual(toNormalised(900, 500, BOX), [1, 1]);
  assert.deepEqual(toNormalised(500, 275, BOX), [0.5, 0.5]);
  assert.deepEqual(toNormalised(260, 140, BOX), [0.2, 0.2]);
  // Outside the box (a drag past the edge) stays on the edge.
  assert.deepEqual(toNormalised(50, 600, BOX), [0, 1]);
  // Four decimals: a ten-thousandth of the picture.
  assert.deepEqual(toNormalised(100 + 800 / 3, 50, BOX), [0.3333, 0]);
  assert.deepEqual(toNormalised(10, 10, { left: 0, top: 0, width: 0, height: 0 }), [0, 0]);
});

test("normalised points go back to the pixels they came from", () => {
  const point = toNormalised(420, 230, BOX);
  const [x, y] = toPixels(point, BOX.width, BOX.height);
  assert.ok(Math.abs(x + BOX.left - 420) < 0.1 && Math.abs(y + BOX.top - 230) < 0.1);
  assert.equal(pointsAttribute([[0, 0], [0.5, 1]], 800, 450), "0.0,0.0 400.0,450.0");
});

test("the keyboard cursor moves in steps and stays in the picture", () => {
  assert.deepEqual(moved([0.5, 0.5], 0.01, -0.01), [0.51, 0.49]);
  assert.deepEqual(moved([0.995, 0.003], 0.1, -0.1), [1, 0]);
});

test("a double-click's second click lands on the same place", () => {
  assert.ok(samePlace([0.5, 0.5], [0.502, 0.5], 800, 450));
  assert.ok(!samePlace([0.5, 0.5], [0.51, 0.5], 800, 450));
});

test("arrows point across the line from side A (left of its way) to side B", () => {
  // A line drawn left to right: A is above it, so A→B points down (y grows).
  const line: [number, number][] = [[0.25, 0.5], [0.75, 0.5]];
  const [down] = directionArrows(line, "a_to_b", 800, 400);
  assert.deepEqual(down.from, [400, 200]);
  assert.ok(Math.abs(down.to[0] - 400) < 1e-9 && down.to[1] > 200);
  const [up] = directionArrows(line, "b_to_a", 800, 400);
  assert.ok(up.to[1] < 200);
  assert.equal(directionArrows(line, "both", 800, 400).length, 2);
  // Drawn top to bottom, A is on the right of the screen (east): A→B points west.
  const [west] = directionArrows([[0.5, 0.1], [0.5, 0.9]], "a_to_b", 800, 400);
  assert.ok(west.to[0] < 400 && Math.abs(west.to[1] - 200) < 1e-9);
  // The head's barbs sit behind the tip, either side of the shaft.
  const [h1, h2] = down.head;
  assert.ok(h1[1] < down.to[1] && h2[1] < down.to[1] && h1[0] !== h2[0]);
  assert.deepEqual(directionArrows([[0.5, 0.5], [0.5, 0.5]], "both", 800, 400), []);
  assert.deepEqual(directionArrows([[0.5, 0.5]], "both", 800, 400), []);
});

test("the flip control swaps A→B and B→A", () => {
  assert.equal(flipped("a_to_b"), "b_to_a");
  assert.equal(flipped("b_to_a"), "a_to_b");
  assert.equal(flipped("both"), "both");
});

test("each kind sends its own fields and keeps what the editor does not show", () => {
  const zone = { ...newRule("zone", "rule-1", "Gate"), zone: [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]] as [number, number][] };
  assert.ok(drawn(zone));
  assert.deepEqual(Object.keys(payload(zone)).sort(), ["classes", "cooldown_s", "enabled", "id", "kind", "min_score", "name", "zone"]);
  const loitering = withKind(zone, "loitering");
  assert.equal(payload(loitering).dwell_s, 30);
  assert.equal(withKind(zone, "line_crossing"), zone, "a zone does not become a line");
  const line = newRule("line", "rule-2", "Door");
  assert.ok(!drawn(line));
  assert.deepEqual(Object.keys(payload(line)).sort(), ["classes", "cooldown_s", "direction", "enabled", "id", "kind", "line", "min_score", "name"]);

  const loaded = fromServer({
    kind: "crowding", id: "c", name: "Square", classes: ["person"], min_score: 0.3, cooldown_s: 0, enabled: false,
    zone: [[0, 0], [1, 0], [1, 1]], line: null, direction: null, max_count: 5, hold_s: 2, dwell_s: null,
    schedule: { zone: "Asia/Shanghai", windows: [] }, min_size: 0, size_unit: "px", margin: null,
  });
  const sent = payload(loaded);
  assert.equal(sent.max_count, 5);
  assert.equal(sent.hold_s, 2);
  assert.deepEqual(sent.schedule, { zone: "Asia/Shanghai", windows: [] });
  assert.equal(sent.enabled, false);
  assert.ok(!("line" in sent) && !("margin" in sent) && !("dwell_s" in sent));
  // Changed to intrusion, the crowding hold goes; the schedule stays.
  const intrusion = payload(withKind(loaded, "intrusion"));
  assert.ok(!("hold_s" in intrusion) && !("max_count" in intrusion) && "schedule" in intrusion);
});

test("new rules take the first free ID", () => {
  const rules = [newRule("zone", "rule-1", "a"), newRule("zone", "rule-3", "b")];
  assert.equal(nextId(rules), "rule-2");
  assert.equal(nextId([]), "rule-1");
});

test("the editor's Chinese words have no English left in them", () => {
  for (const [key, entry] of Object.entries(RULES_STRINGS)) {
    assert.ok(!/[A-Za-z]{2,}/.test(entry.zh.replace(/\{\w+\}/g, "")), `${key}: ${entry.zh}`);
  }
});
