// Searching recorded video (录像检索), as pure logic the unit tests run: the form's draft checked
// and turned into the body of POST /search/video (nothing is sent while a rule is broken: no
// channel, a period backwards or over 31 days, a label the server would refuse, a colour outside
// the palette, no purpose), the recorded time in hours and minutes, and where a recorded span lies
// on the period's bar. Colours are asked for only where the label has them: a body colour for a
// car, bus or truck, clothing colours for a person.

import type { VideoSearchAsk } from "../api/types";
import type { StringKey } from "../i18n/strings";
import { checkPurpose } from "../playback/purpose";
import type { PurposeProblem } from "../playback/purpose";
import { BODY_LABELS, isColour } from "./attributes";

/** The labels the detector gives (COCO) that the form offers by name. */
export const LABELS = ["person", "car", "bicycle", "motorcycle", "bus", "truck"] as const;
/** What the server takes as a label (VideoSearchRequest.label). */
export const LABEL_RULE = /^[a-z][a-z ]*$/;
export const LABEL_MAX = 32;
export const MAX_CHANNELS = 32;
export const MAX_PERIOD_MS = 31 * 24 * 3600 * 1000;
/** Tracks asked for per channel (the server's default; it takes up to 500). */
export const TRACK_LIMIT = 100;

export interface SearchDraft {
  channels: string[];
  /** The period's ends as local date-times (datetime-local inputs). */
  from: string;
  to: string;
  /** "" for any label. */
  label: string;
  /** Colours of the palette, "" for any: a vehicle's body (sent for a car, bus or truck), a
   * person's top and bottom (sent for a person). */
  colour: string;
  upperColour: string;
  lowerColour: string;
  purpose: string;
  caseNumber: string;
}

/** The form's own rules, each a suffix of `search.problem.`. */
export type SearchProblem = "noChannel" | "tooManyChannels" | "noPeriod" | "backwards" | "tooLong" | "label" | "colour";

/** A broken rule and the field it belongs to: one of the form's own, or one of the purpose's
 * and case's (a suffix of `purpose.`). */
export type Broken =
  | { of: "search"; field: "channels" | "period" | "label" | "attributes"; problem: SearchProblem }
  | { of: "purpose"; field: "purpose" | "case"; problem: PurposeProblem };

function period(draft: SearchDraft): { start: number; end: number } | Broken {
  const start = draft.from ? new Date(draft.from).getTime() : NaN;
  const end = draft.to ? new Date(draft.to).getTime() : NaN;
  if (Number.isNaN(start) || Number.isNaN(end)) return { of: "search", field: "period", problem: "noPeriod" };
  if (end <= start) return { of: "search", field: "period", problem: "backwards" };
  if (end - start > MAX_PERIOD_MS) return { of: "search", field: "period", problem: "tooLong" };
  return { start, end };
}

type ColourFilters = Pick<VideoSearchAsk, "colour" | "upper_colour" | "lower_colour">;

/** The colour filters the draft's label takes, by the body's names (the empty ones left out). */
function colours(draft: SearchDraft, label: string): ColourFilters | Broken {
  const asked: [keyof ColourFilters, string][] = [
    ["colour", BODY_LABELS.includes(label) ? draft.colour : ""],
    ["upper_colour", label === "person" ? draft.upperColour : ""],
    ["lower_colour", label === "person" ? draft.lowerColour : ""],
  ];
  const filters: ColourFilters = {};
  for (const [name, value] of asked) {
    if (value === "") continue;
    if (!isColour(value)) return { of: "search", field: "attributes", problem: "colour" };
    filters[name] = value;
  }
  return filters;
}

/** The body of POST /search/video for the draft, or the first rule it breaks. */
export function searchBody(draft: SearchDraft): VideoSearchAsk | Broken {
  if (draft.channels.length === 0) return { of: "search", field: "channels", problem: "noChannel" };
  if (draft.channels.length > MAX_CHANNELS) return { of: "search", field: "channels", problem: "tooManyChannels" };
  const span = period(draft);
  if ("problem" in span) return span;
  const label = draft.label.trim();
  if (label && (label.length > LABEL_MAX || !LABEL_RULE.test(label))) return { of: "search", field: "label", problem: "label" };
  const asked = colours(draft, label);
  if ("problem" in asked) return asked;
  const why = checkPurpose(draft.purpose, draft.caseNumber);
  if (typeof why === "string") return { of: "purpose", field: why === "caseLong" ? "case" : "purpose", problem: why };
  const body: VideoSearchAsk = {
    channel_ids: draft.channels,
    start: new Date(span.start).toISOString(),
    end: new Date(span.end).toISOString(),
    limit: TRACK_LIMIT,
    purpose: why.purpose,
    ...asked,
  };
  if (label) body.label = label;
  if (why.caseNumber) body.case = why.caseNumber;
  return body;
}

/** Whether `result` is a broken rule rather than a body. */
export function isBroken(result: VideoSearchAsk | Broken): result is Broken {
  return "problem" in result;
}

/** A length of time in the largest units that fit: hours and minutes, minutes, or seconds. */
export function durationWords(seconds: number): { key: StringKey; params: Record<string, number> } {
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  if (hours > 0) return { key: "search.hoursMinutes", params: { hours, minutes } };
  if (minutes > 0) return { key: "search.minutes", params: { minutes } };
  return { key: "search.seconds", params: { seconds: whole } };
}

/** Where a span lies on the bar of the period [start, end): from the left and wide, in per cent
 * of the bar, clipped to it. */
export function barOf(span: { start: string; end: string }, start: number, end: number): { left: number; width: number } {
  const width = end - start;
  const from = Math.max(start, Date.parse(span.start));
  const to = Math.min(end, Date.parse(span.end));
  if (width <= 0 || to <= from) return { left: 0, width: 0 };
  return { left: ((from - start) / width) * 100, width: ((to - from) / width) * 100 };
}
