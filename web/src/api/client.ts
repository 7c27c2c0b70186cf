// One fetch wrapper for the API: bearer token, problem+json errors, cursor pagination.

import type { Page } from "./types";

export type ProblemParams = Record<string, string | number | boolean | null>;

/** One broken field of a request the server did not accept (422 `request.invalid`). */
export interface FieldProblem {
  loc: string[];
  type: string;
  ctx: ProblemParams;
}

/** An error answer of the API (RFC 9457 problem+json), or a network failure (status 0).
 * `detail` is the server's English; a person reads `code` and `params` in their language
 * (i18n/problems.ts). */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly detail: string;
  readonly code: string;
  readonly params: ProblemParams;
  readonly errors: FieldProblem[];

  constructor(
    status: number,
    type: string,
    detail: string,
    code: string = type,
    params: ProblemParams = {},
    errors: FieldProblem[] = [],
  ) {
    super(detail);
    this.status = status;
    this.type = type;
    this.detail = detail;
    this.code = code;
    this.params = params;
    this.errors = errors;
  }
}

type Listener = () => void;

let token: string | null = null;
let onUnauthorized: Listener = () => undefined;

/** The session sets the token it holds and what to do when the server stops accepting it. */
export function setToken(value: string | null, unauthorized?: Listener): void {
  token = value;
  if (unauthorized) onUnauthorized = unauthorized;
}

interface ProblemBody {
  type?: string;
  detail?: string;
  title?: string;
  code?: string;
  params?: ProblemParams;
  errors?: FieldProblem[];
}

async function problemOf(response: Response): Promise<ApiError> {
  let body: ProblemBody = {};
  try {
    body = (await response.json()) as ProblemBody;
  } catch {
    // not JSON (a proxy's page): the status alone says what happened
  }
  const type = body.type?.split("/").pop() ?? `http-${response.status}`;
  const detail = body.detail ?? body.title ?? response.statusText;
  return new ApiError(response.status, type, detail, body.code ?? type, body.params ?? {}, body.errors ?? []);
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  form?: Record<string, string>;
  signal?: AbortSignal;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    body = new URLSearchParams(options.form);
  }
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: options.method ?? (body ? "POST" : "GET"),
      headers,
      body,
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "network", (error as Error).message);
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    // A 401 ends the session, unless it is about a password in the request, not the token.
    if (response.status === 401 && token && problem.code !== "password.current_wrong") onUnauthorized();
    throw problem;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Every item of a paginated list, following `next` cursors (bounded to `maxPages`). */
export async function listAll<T>(path: string, maxPages = 100): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  const joiner = path.includes("?") ? "&" : "?";
  for (let page = 0; page < maxPages; page += 1) {
    const suffix: string = cursor ? `${joiner}limit=500&cursor=${cursor}` : `${joiner}limit=500`;
    const result: Page<T> = await api<Page<T>>(`${path}${suffix}`);
    items.push(...result.items);
    cursor = result.next;
    if (!cursor) break;
  }
  return items;
}

/** An API resource fetched with the session's token as a Blob (an image for an <img>). */
export async function blob(path: string): Promise<Blob> {
  const response = await fetch(`/api/v1${path}`, { headers: { Authorization: `Bearer ${token ?? ""}` } });
  if (!response.ok) throw await problemOf(response);
  return response.blob();
}

/** Fetch with the session's token and hand the body to the browser as a download. */
export async function download(path: string, name: string): Promise<void> {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token ?? ""}` } });
  if (!response.ok) throw await problemOf(response);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** A ws:// or wss:// URL for an API path or a server-given URL, relative to this page. */
export function socketUrl(pathOrUrl: string): string {
  const url = new URL(pathOrUrl, window.location.href);
  if (url.protocol === "http:") url.protocol = "ws:";
  if (url.protocol === "https:") url.protocol = "wss:";
  return url.toString();
}
