// The video search's form checks, its request body (with the colours its label takes), tracks'
// attributes in words, the recorded time in words and the bars of the period; pure logic, run by
// `npm test`.

import assert from "node:assert/strict";
import { test } from "node:test";
import { translate } from "../src/i18n/I18n";
import type { Translate } from "../src/i18n/I18n";
import { playbackLink } from "../src/playback/playbackLink";
import { COLOURS, attributeWords } from "../src/search/attributes";
import { barOf, durationWords, isBroken, searchBody } from "../src/search/searchModel";
import type { SearchDraft } from "../src/search/searchModel";

const CHANNEL = "34010400001320000002";
const DRAFT: SearchDraft = {
  channels: [CHANNEL],
  from: "2026-03-01T08:00",
  to: "2026-03-01T10:00",
  label: "",
  colour: "",
  upperColour: "",
  lowerColour: "",
  purpose: " 查找嫌疑车辆 ",
  caseNumber: "",
};

test("a good draft becomes the body: UTC instants, the purpose trimmed, no label or case unset", () => {
  assert.deepEqual(searchBody(DRAFT), {
    channel_ids: [CHANNEL],
    start: new Date("2026-03-01T08:00").toISOString(),
    end: new Date("2026-03-01T10:00").toISOString(),
    limit: 100,
    purpose: "查找嫌疑车辆",
  });
  const full = searchBody({ ...DRAFT, label: "fire truck ", caseNumber: "案-9" });
  assert.ok(!isBroken(full));
  assert.equal(full.label, "fire truck");
  assert.equal(full.case, "案-9");
});

test("nothing is sent without a purpose, a channel or a forward period, or with a bad label", () => {
  const broken = (changes: Partial<SearchDraft>) => {
    const result = searchBody({ ...DRAFT, ...changes });
    return isBroken(result) ? [result.field, result.problem] : null;
  };
  assert.deepEqual(broken({ purpose: "   " }), ["purpose", "purposeMissing"]);
  assert.deepEqual(broken({ caseNumber: "x".repeat(65) }), ["case", "caseLong"]);
  assert.deepEqual(broken({ channels: [] }), ["channels", "noChannel"]);
  assert.deepEqual(broken({ channels: Array.from({ length: 33 }, (_, i) => String(i)) }), ["channels", "tooManyChannels"]);
  assert.deepEqual(broken({ to: "" }), ["period", "noPeriod"]);
  assert.deepEqual(broken({ to: "2026-03-01T08:00" }), ["period", "backwards"]);
  assert.deepEqual(broken({ to: "2026-04-01T08:01" }), ["period", "tooLong"]);
  assert.equal(broken({ to: "2026-04-01T08:00" }), null); // 31 days exactly
  assert.deepEqual(broken({ label: "Person" }), ["label", "label"]);
  assert.deepEqual(broken({ label: "car1" }), ["label", "label"]);
  assert.deepEqual(broken({ label: "a".repeat(33) }), ["label", "label"]);
});

test("colours are sent where the label has them: a body colour for vehicles, clothes for people", () => {
  const colours = { colour: "white", upperColour: "red", lowerColour: "black" };
  const body = (label: string) => {
    const result = searchBody({ ...DRAFT, ...colours, label });
    assert.ok(!isBroken(result));
    return [result.colour, result.upper_colour, result.lower_colour];
  };
  assert.deepEqual(body("truck"), ["white", undefined, undefined]);
  assert.deepEqual(body("person"), [undefined, "red", "black"]);
  assert.deepEqual(body("bicycle"), [undefined, undefined, undefined]);
  assert.deepEqual(body(""), [undefined, undefined, undefined]);
  const silver = searchBody({ ...DRAFT, label: "car", colour: "silver" });
  assert.ok(isBroken(silver) && silver.field === "attributes" && silver.problem === "colour");
});

test("a track's attributes in words, in both languages", () => {
  const zh: Translate = (key, params) => translate("zh", key, params);
  const en: Translate = (key, params) => translate("en", key, params);
  assert.equal(attributeWords(zh, { type: "car", colour: "white" }), "小型车 · 车身白色");
  assert.equal(attributeWords(en, { type: "car", colour: "white" }), "white car");
  assert.equal(attributeWords(zh, { upper: "red", lower: "unknown" }), "上衣红色 · 下装未知");
  assert.equal(attributeWords(en, { upper: "red", lower: "black" }), "top red, bottom black");
  assert.equal(attributeWords(zh, { type: "bicycle" }), "自行车");
  assert.equal(attributeWords(zh, {}), null);
  assert.equal(attributeWords(zh, null), null);
  for (const colour of COLOURS) assert.notEqual(attributeWords(zh, { type: "bus", colour }), `客车 · 车身${colour}`);
});

test("recorded time in hours and minutes, minutes, or seconds", () => {
  assert.deepEqual(durationWords(2 * 3600 + 3 * 60 + 20), { key: "search.hoursMinutes", params: { hours: 2, minutes: 3 } });
  assert.deepEqual(durationWords(1800), { key: "search.minutes", params: { minutes: 30 } });
  assert.deepEqual(durationWords(42.4), { key: "search.seconds", params: { seconds: 42 } });
});

test("a span's bar is placed in per cent of the period and clipped to it", () => {
  const start = Date.parse("2026-03-01T08:00:00Z");
  const end = Date.parse("2026-03-01T10:00:00Z");
  assert.deepEqual(barOf({ start: "2026-03-01T08:30:00Z", end: "2026-03-01T09:00:00Z" }, start, end), { left: 25, width: 25 });
  assert.deepEqual(barOf({ start: "2026-03-01T07:00:00Z", end: "2026-03-01T08:30:00Z" }, start, end), { left: 0, width: 25 });
  assert.deepEqual(barOf({ start: "2026-03-01T11:00:00Z", end: "2026-03-01T12:00:00Z" }, start, end), { left: 0, width: 0 });
});

test("a hit opens the playback page of its channel at its instant", () => {
  const link = playbackLink(CHANNEL, "2026-03-01T08:30:00+00:00");
  const query = new URLSearchParams(link.slice("/playback?".length));
  assert.ok(link.startsWith("/playback?"));
  assert.equal(query.get("channel"), CHANNEL);
  assert.equal(query.get("at"), "2026-03-01T08:30:00+00:00");
});
