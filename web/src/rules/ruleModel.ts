// A rule as the editor holds it, and as the API takes it: new rules with their defaults, the
// fields each kind sends (a zone for intrusion, loitering and crowding; a line for line
// crossing), and what must be filled in before saving. The server checks the rest and answers
// with the rule.* codes the problem strings word.

import type { Direction, Point } from "./geometry";

export type RuleKind = "intrusion" | "loitering" | "crowding" | "line_crossing";
export type Shape = "zone" | "line";

export const ZONE_KINDS: RuleKind[] = ["intrusion", "loitering", "crowding"];
export const CLASSES = ["person", "car", "bus", "truck", "bicycle", "motorcycle"] as const;

/** A rule in the editor: every field any kind has; `payload` sends those of its kind. Fields the
 * editor does not show (a schedule, a minimum size, a margin) are kept as loaded. */
export interface RuleDraft {
  kind: RuleKind;
  id: string;
  name: string;
  classes: string[];
  min_score: number;
  cooldown_s: number;
  enabled: boolean;
  zone: Point[];
  line: Point[];
  direction: Direction;
  dwell_s: number;
  max_count: number;
  kept: Record<string, unknown>;
}

const COMMON = ["kind", "id", "name", "classes", "min_score", "cooldown_s", "enabled"] as const;
const OWN: Record<RuleKind, (keyof RuleDraft)[]> = {
  intrusion: ["zone"],
  loitering: ["zone", "dwell_s"],
  crowding: ["zone", "max_count"],
  line_crossing: ["line", "direction"],
};
/** Fields the server has for a kind that the editor keeps untouched. */
const KEPT: Record<RuleKind, string[]> = {
  intrusion: ["min_size", "size_unit", "schedule"],
  loitering: ["min_size", "size_unit", "schedule"],
  crowding: ["min_size", "size_unit", "schedule", "hold_s"],
  line_crossing: ["min_size", "size_unit", "schedule", "margin"],
};

export function shapeOf(kind: RuleKind): Shape {
  return kind === "line_crossing" ? "line" : "zone";
}

/** The first `rule-N` not taken by another rule of the channel. */
export function nextId(rules: RuleDraft[]): string {
  const taken = new Set(rules.map((r) => r.id));
  let n = 1;
  while (taken.has(`rule-${n}`)) n += 1;
  return `rule-${n}`;
}

/** A new rule of the shape, named `name`, not yet drawn. */
export function newRule(shape: Shape, id: string, name: string): RuleDraft {
  return {
    kind: shape === "line" ? "line_crossing" : "intrusion",
    id,
    name,
    classes: ["person"],
    min_score: 0.5,
    cooldown_s: 10,
    enabled: true,
    zone: [],
    line: [],
    direction: "both",
    dwell_s: 30,
    max_count: 10,
    kept: {},
  };
}

type Loaded = Record<string, unknown> & { kind: RuleKind; id: string; name: string; classes: string[] };

/** A rule the server sent, ready to edit (its nulls, fields of other kinds, become defaults). */
export function fromServer(rule: Loaded): RuleDraft {
  const draft = newRule(shapeOf(rule.kind), rule.id, rule.name);
  const kept: Record<string, unknown> = {};
  for (const name of KEPT[rule.kind]) if (rule[name] !== null && rule[name] !== undefined) kept[name] = rule[name];
  const pick = <T,>(name: string, fallback: T): T => (rule[name] === null || rule[name] === undefined ? fallback : (rule[name] as T));
  return {
    ...draft,
    kind: rule.kind,
    classes: [...rule.classes],
    min_score: pick("min_score", draft.min_score),
    cooldown_s: pick("cooldown_s", draft.cooldown_s),
    enabled: pick("enabled", draft.enabled),
    zone: pick<Point[]>("zone", []),
    line: pick<Point[]>("line", []),
    direction: pick("direction", draft.direction),
    dwell_s: pick("dwell_s", draft.dwell_s),
    max_count: pick("max_count", draft.max_count),
    kept,
  };
}

/** The rule as the API takes it: the common fields, its kind's own, and what was kept. */
export function payload(rule: RuleDraft): Record<string, unknown> {
  const body: Record<string, unknown> = { ...rule.kept };
  for (const name of [...COMMON, ...OWN[rule.kind]]) body[name] = rule[name];
  return body;
}

/** Whether the rule's shape is finished: a zone of three points or more, a line of two. */
export function drawn(rule: RuleDraft): boolean {
  return shapeOf(rule.kind) === "line" ? rule.line.length === 2 : rule.zone.length >= 3;
}

/** A rule changed to another kind: a zone rule stays on its zone; a line rule's kind is fixed. */
export function withKind(rule: RuleDraft, kind: RuleKind): RuleDraft {
  if (shapeOf(kind) !== shapeOf(rule.kind)) return rule;
  const kept = Object.fromEntries(Object.entries(rule.kept).filter(([name]) => KEPT[kind].includes(name)));
  return { ...rule, kind, kept };
}
