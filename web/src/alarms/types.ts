// The alarm centre's shapes, from the API's generated types (api/types.ts), with the codes the
// console has words for narrowed to those values.

import type { Answer, Narrowed } from "../api/types";

export const ALARM_STATES = ["new", "acknowledged", "closed"] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export const ALARM_SOURCES = ["device", "analytics", "availability"] as const;
export type AlarmSource = (typeof ALARM_SOURCES)[number];

/** GET /alarms/{id}, and each item of GET /alarms. */
export type Alarm = Narrowed<Answer<"/api/v1/alarms/{alarm_id}">, { state: AlarmState; source: AlarmSource }>;

/** GET /alarms/counts: how many alarms are in each state. */
export type AlarmCounts = Answer<"/api/v1/alarms/counts">;

/** What the list is filtered by; "" is any. `from` and `to` are local date-times. */
export interface AlarmFilter {
  state: AlarmState | "";
  source: AlarmSource | "";
  kind: string;
  channel: string;
  org: string;
  from: string;
  to: string;
}

export const NO_FILTER: AlarmFilter = { state: "", source: "", kind: "", channel: "", org: "", from: "", to: "" };
