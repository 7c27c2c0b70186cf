// The availability API's shapes (GET /faults, /work-orders, /work-orders/stats, /intact-rate).

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

export interface Fault {
  id: number;
  channel_id: string;
  kind: FaultKind;
  score: number;
  threshold: number;
  opened_at: string;
  closed_at: string | null;
  evidence_url: string | null;
}

export interface WorkOrder {
  id: number;
  fault_id: number;
  kind: FaultKind;
  channel_id: string;
  assignee: string | null;
  opened_at: string;
  closed_at: string | null;
  repair_seconds: number | null;
}

export interface RepairStats {
  assignee: string | null;
  count: number;
  open: number;
  mean_hours: number | null;
  median_hours: number | null;
  p90_hours: number | null;
}

export interface RepairReport {
  from: string | null;
  to: string | null;
  total: RepairStats;
  units: RepairStats[];
}

export interface DayRate {
  day: string;
  camera_days: number;
  intact: number;
  /** null on a day without camera-days (no channel on file yet, or a day still to come) */
  rate: number | null;
}

export interface GroupRate {
  group: string;
  channels: number;
  camera_days: number;
  intact: number;
  /** null without camera-days */
  rate: number | null;
  target: number;
  met: boolean;
  daily: DayRate[];
}

export type GroupBy = "organisation" | "industry" | "key_area_category";
export const GROUP_BYS: GroupBy[] = ["organisation", "industry", "key_area_category"];

export interface IntactRate {
  organisation_id: string;
  from: string;
  to: string;
  by: GroupBy;
  total: GroupRate;
  groups: GroupRate[];
}
