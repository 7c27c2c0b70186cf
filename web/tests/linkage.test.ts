// Linkage rules in words (src/alarms/linkageWords.ts), run by `npm test` without a browser: every
// action type in both languages, what a rule matches, and an unknown type shown as its code.

import assert from "node:assert/strict";
import { test } from "node:test";
import { actionWord, matchWord, ruleOf } from "../src/alarms/linkageWords";
import { translate } from "../src/i18n/I18n";
import type { Translate } from "../src/i18n/I18n";

const zh: Translate = (key, params) => translate("zh", key, params);
const en: Translate = (key, params) => translate("en", key, params);
const CAMERA = "34010000001320000001";

test("each action type reads in Chinese and English", () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ type: "evidence_lock" }, "锁定报警录像（防止被覆盖）", "Lock the alarm's recording against deletion"],
    [{ type: "mqtt", topic: "v/{kind}" }, "发布到消息队列（主题 v/{kind}）", "Publish to MQTT (topic v/{kind})"],
    [{ type: "webhook", url: "https://h.example/x" }, "推送到 https://h.example/x", "POST to https://h.example/x"],
    [{ type: "forward_upper" }, "上报上级平台", "Forward to the upper platforms"],
    [{ type: "ptz_preset", preset: 3, channel_id: null }, "调用预置位 3", "Go to preset 3"],
    [{ type: "ptz_preset", preset: 3, channel_id: CAMERA }, `摄像机 ${CAMERA} 调用预置位 3`, `Camera ${CAMERA} goes to preset 3`],
    [{ type: "record", seconds: 60 }, "联动录像 60 秒", "Record for 60 s"],
    [{ type: "wall", wall: null }, "报警画面上墙", "Show on the live walls"],
    [{ type: "wall", wall: "值班" }, "报警画面上墙（值班）", "Show on the live wall “值班”"],
  ];
  for (const [action, inZh, inEn] of cases) {
    assert.equal(actionWord(zh, action), inZh);
    assert.equal(actionWord(en, action), inEn);
  }
  assert.equal(actionWord(zh, { type: "siren", loud: true }), '{"type":"siren","loud":true}');
});

test("what a rule matches", () => {
  assert.equal(matchWord(zh, null, null), "全部报警");
  assert.equal(matchWord(zh, "analytics", "intrusion"), "智能分析 · 区域入侵");
  assert.equal(matchWord(en, "analytics", "rule:7"), "Analytics · Analytics rule");
  assert.equal(matchWord(zh, "analytics", "rule:demo-lawn"), "智能分析 · 分析规则");
  assert.equal(ruleOf("rule:demo-lawn"), "demo-lawn"); // shown beside, as data (translate="no")
  assert.equal(ruleOf("intrusion"), null);
  assert.equal(ruleOf(null), null);
  assert.equal(matchWord(en, "availability", null), "Picture diagnosis");
});
