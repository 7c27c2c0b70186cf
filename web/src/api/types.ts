// Shapes of the Vigil REST API (/api/v1), as the console reads them: aliases of the types that
// `npm run build` generates from the OpenAPI document (schema.d.ts, from openapi.json), named by
// path and method so that a schema renamed on the server changes nothing here. A few fields the
// server types as a plain string are narrowed to the values the console has words for.

import type { paths } from "./schema";

type Json<Response> = Response extends { content: { "application/json": infer Body } } ? Body : never;
type Success<Responses> = Responses extends { 200: infer R }
  ? R
  : Responses extends { 201: infer R }
    ? R
    : Responses extends { 202: infer R }
      ? R
      : never;

/** The JSON body of a successful answer to `method` on `path` (an /api/v1 path). */
export type Answer<Path extends keyof paths, Method extends keyof paths[Path] = "get"> =
  paths[Path][Method] extends { responses: infer Responses } ? Json<Success<Responses>> : never;

/** The JSON body a request of `method` on `path` sends (null, where the server takes it, left out). */
export type Sent<Path extends keyof paths, Method extends keyof paths[Path]> =
  paths[Path][Method] extends { requestBody?: infer Body } ? Exclude<Json<NonNullable<Body>>, null> : never;

/** The items of a list answer (a page's `items`, or the array itself). */
export type ItemOf<List> = List extends { items: (infer Item)[] } ? Item : List extends (infer Item)[] ? Item : never;

/** `Base` with the fields of `Narrower` put in their place. */
export type Narrowed<Base, Narrower> = Omit<Base, keyof Narrower> & Narrower;

/** A page of a paginated list: `next` is the cursor of the following page, null on the last. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

export type Organisation = ItemOf<Answer<"/api/v1/organisations">>;
export type OrgKind = Organisation["kind"];

export type Device = Narrowed<ItemOf<Answer<"/api/v1/devices">>, { transport: "udp" | "tcp" }>;
export type Channel = ItemOf<Answer<"/api/v1/channels">>;

export type User = ItemOf<Answer<"/api/v1/users">>;
export type Role = User["role"];
export type Me = Answer<"/api/v1/auth/me">;
/** What a role may do (`Me.permissions`). */
export type Permission = Me["permissions"][number];

export type AuditRecord = ItemOf<Answer<"/api/v1/audit">>;
/** GET /audit/tree-head: the audit log's signed tree head (RFC 6962 Merkle root of `size`
 * records; `head` the exact signed bytes, base64). */
export type TreeHead = Answer<"/api/v1/audit/tree-head">;
/** GET /audit/records/{seq}/proof?size=N: a record's canonical bytes and audit path. */
export type InclusionProof = Answer<"/api/v1/audit/records/{seq}/proof">;
export type TokenResponse = Answer<"/api/v1/auth/token", "post">;
export type ConsoleSettings = Answer<"/api/v1/console/settings">;

/** POST /channels/{id}/live. */
export type LiveSession = Answer<"/api/v1/channels/{channel_id}/live", "post">;
/** What POST /channels/{id}/live may carry: to see a masked channel unmasked, an approved unmask
 * request of the caller's with a purpose (and a case). */
export type LiveOpen = Sent<"/api/v1/channels/{channel_id}/live", "post">;
/** POST /views/{session}/renew: a live or playback view goes on until the new expiry. */
export type ViewRenewed = Answer<"/api/v1/views/{view_id}/renew", "post">;
/** POST /channels/{id}/playback. */
export type PlaybackSession = Answer<"/api/v1/channels/{channel_id}/playback", "post">;
/** What POST /channels/{id}/playback carries: the range, speed, purpose (and case), and, to see
 * a masked channel unmasked, an approved unmask request of the caller's. */
export type PlaybackOpen = Sent<"/api/v1/channels/{channel_id}/playback", "post">;

/** GET /channels/{id}/recordings?start=&end=: what was recorded and why the rest was not. */
export type RecordingList = Answer<"/api/v1/channels/{channel_id}/recordings">;
/** A recorded span; the console reads only its bounds. */
export type RecordingSegment = Pick<RecordingList["segments"][number], "start" | "end">;

/** POST /channels/{id}/exports, GET /exports/{id} (why it failed: `error_code`, `error_params`). */
export type ExportStatus = Answer<"/api/v1/exports/{job_id}">;

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

/** The intact rate counts the local days `intact_from`–`intact_to`; `hd_basis` says how the HD
 * ratio's channels were judged: by the picture size seen in the stream, or (never seen) by the
 * catalog's HD flag. */
export type Kpis = Answer<"/api/v1/kpis">;
export type KpiValue = Kpis[KpiName];

/** GET /coverage/blind-spots?org=: unseen key areas and uncounted intersections, worst first. */
type BlindSpotsAnswer = Answer<"/api/v1/coverage/blind-spots">;
/** An unseen key area; `uncovered` is the unseen part, WGS-84. */
export type AreaGap = Narrowed<BlindSpotsAnswer["key_areas"][number], { uncovered: GeoJSON.Geometry }>;
export type IntersectionGap = BlindSpotsAnswer["intersections"][number];
export type BlindSpots = Narrowed<BlindSpotsAnswer, { key_areas: AreaGap[] }>;

/** An approval request (审批) and its handling: POST /approvals, GET /approvals/{id}. */
export type Approval = Narrowed<Answer<"/api/v1/approvals/{approval_id}">, { state: ApprovalState }>;
/** GET /approvals?state=&mine=: a page of requests and the counts of all of them by state. */
export type ApprovalInbox = Narrowed<Answer<"/api/v1/approvals">, { items: Approval[]; counts: Partial<Record<ApprovalState, number>> }>;
export const APPROVAL_STATES = ["pending", "approved", "rejected", "revoked", "expired"] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/** POST /approvals: a request for an export, an unmask or a share. */
export type ApprovalAsk = Sent<"/api/v1/approvals", "post">;

/** GET/PUT /channels/{id}/masks: a channel's privacy masks (points are picture fractions, 0,0
 * top-left); a PUT replaces them all. */
export type MaskList = Answer<"/api/v1/channels/{channel_id}/masks">;
export type Mask = MaskList["masks"][number];
export type MasksPut = Sent<"/api/v1/channels/{channel_id}/masks", "put">;

/** GET/PUT /access-windows: when a role or a user may do an action (a PUT replaces them all). */
export type AccessWindowList = Answer<"/api/v1/access-windows">;
export type AccessWindow = AccessWindowList["windows"][number];
export type AccessAction = AccessWindow["action"];

/** GET /shares?channel_id=&ended=: the shares of the caller's channels and those lent to the
 * caller's organisations (跨部门共享); in force only unless `ended`. */
export type ShareList = Answer<"/api/v1/shares">;
export type Share = ItemOf<ShareList>;
/** POST /channels/{id}/shares: lend the channel's live video to an organisation under the
 * caller's approved share request, with a purpose (and a case). */
export type ShareAsk = Sent<"/api/v1/channels/{channel_id}/shares", "post">;

/** POST /search/video: channels, a period, optionally a label, and why. */
export type VideoSearchAsk = Sent<"/api/v1/search/video", "post">;
/** Per channel named: the recorded spans of the period, and the tracks that started in it. */
export type VideoSearchResult = Answer<"/api/v1/search/video", "post">;
export type ChannelHits = VideoSearchResult["channels"][number];
export type TrackHit = ChannelHits["tracks"][number];
