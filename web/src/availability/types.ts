// The availability API's shapes (GET /faults, /work-orders, /work-orders/stats, /intact-rate).

import type { Answer, ItemOf, Narrowed } from "../api/types";

export const FAULT_KINDS = [
  "no_signal",
  "frozen",
  "blur",
  "too_dark",
  "too_bright",
  "low_contrast",
  "colour_cast",
  "noise",
  "stripes",
  "rolling",
  "occlusion",
  "scene_changed",
  "ptz_not_responding",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** GET /faults: a picture fault, of one of the kinds above. */
export type Fault = Narrowed<ItemOf<Answer<"/api/v1/faults">>, { kind: FaultKind }>;
/** GET /work-orders: the repair of a fault. */
export type WorkOrder = Narrowed<ItemOf<Answer<"/api/v1/work-orders">>, { kind: FaultKind }>;

/** GET /work-orders/stats: time to repair per maintainer unit, and over all of them. */
export type RepairReport = Answer<"/api/v1/work-orders/stats">;
export type RepairStats = RepairReport["total"];

/** GET /intact-rate: per day (`rate` null on a day without camera-days: no channel on file yet,
 * or a day still to come) and per group (`rate` null without camera-days). */
export type IntactRate = Answer<"/api/v1/intact-rate">;
export type GroupRate = IntactRate["total"];
export type DayRate = GroupRate["daily"][number];
export type GroupBy = IntactRate["by"];
export const GROUP_BYS: GroupBy[] = ["organisation", "industry", "key_area_category"];
