// Shapes of the Vigil REST API (/api/v1), as the console reads them.

import type { ProblemParams } from "./client";

export interface Page<T> {
  items: T[];
  next: string | null;
}

export type OrgKind = "region" | "department" | "industry";

export interface Organisation {
  id: string;
  name: string;
  kind: OrgKind;
  parent_id: string | null;
}

export interface Device {
  id: string;
  name: string;
  organisation_id: string | null;
  source: string;
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  transport: "udp" | "tcp";
  online: boolean;
  gb_version: string | null;
  last_keepalive: string | null;
  address: string | null;
}

export interface Channel {
  id: string;
  device_id: string;
  name: string;
  organisation_id: string | null;
  civil_code: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  heading: number | null;
  fov: number | null;
  ptz_type: number | null;
  hd: boolean;
  key_area_category: string | null;
  industry: string | null;
  owner_unit: string | null;
  maintainer_unit: string | null;
  status: string;
}

export type Role = "admin" | "operator" | "viewer" | "auditor";

export interface User {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  scopes: string[];
  locked: boolean;
}

export interface Me extends User {
  permissions: string[];
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  resource: string;
  channel_id: string | null;
  source: string | null;
  outcome: string;
  detail: string;
  hash: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_at: string | null;
}

export interface ConsoleSettings {
  map_tiles: string | null;
}

/** POST /channels/{id}/live. */
export interface LiveSession {
  session: string;
  ws_fmp4: string;
  hls: string;
  expires_at: string;
}

/** POST /views/{session}/renew: a live or playback view goes on until the new expiry. */
export interface ViewRenewed {
  session: string;
  expires_at: string;
}

/** POST /channels/{id}/playback. */
export interface PlaybackSession {
  session: string;
  ws_fmp4: string;
  expires_at: string;
  segments: number;
}

/** GET /channels/{id}/recordings?start=&end=: what was recorded and why the rest was not. */
export interface RecordingSegment {
  start: string;
  end: string;
}

export interface RecordingList {
  segments: RecordingSegment[];
  gaps: (RecordingSegment & { cause: string })[];
}

/** POST /channels/{id}/exports, GET /exports/{id}. */
export interface ExportStatus {
  id: string;
  state: "running" | "done" | "failed";
  error: string | null;
  /** Why it failed, as a problem code with its params (the English is `error`). */
  error_code: string | null;
  error_params: ProblemParams | null;
  file: string | null;
}

/** The KPIs of GET /kpis?org=&from=&to=, each a share in 0–1 or null with the reason. */
export const KPI_NAMES = [
  "coverage_rate",
  "road_coverage",
  "intersection_coverage",
  "hd_ratio",
  "networking_rate",
  "intact_rate",
] as const;
export type KpiName = (typeof KPI_NAMES)[number];

export interface KpiValue {
  value: number | null;
  /** Why `value` is null: in English, and as a code with its params (problemStrings.ts). */
  reason: string | null;
  reason_code?: string | null;
  reason_params?: ProblemParams;
  target: number;
}

export type Kpis = Record<KpiName, KpiValue> & {
  organisation_id: string;
  /** The local days the intact rate counts (YYYY-MM-DD). */
  intact_from: string;
  intact_to: string;
  /** How the HD ratio's channels were judged: by the picture size seen in the stream, or (never
   * seen) by the catalog's HD flag. */
  hd_basis: { stream: number; catalog: number };
};

/** GET /coverage/blind-spots?org=: unseen key areas and uncounted intersections, worst first. */
export interface AreaGap {
  id: number;
  name: string;
  category: string | null;
  area_m2: number;
  uncovered_m2: number;
  uncovered_share: number;
  /** The unseen part, WGS-84. */
  uncovered: GeoJSON.Geometry;
}

export interface IntersectionGap {
  id: number;
  name: string;
  longitude: number;
  latitude: number;
  centre_seen: boolean;
  approaches: number;
  approaches_seen: number;
}

export interface BlindSpots {
  key_areas: AreaGap[];
  intersections: IntersectionGap[];
}
