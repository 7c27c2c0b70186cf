// The stages a stream goes through; a failure names the stage so the operator knows where.

import type { ProblemParams } from "../api/client";
import type { Translate } from "../i18n/I18n";
import { problemText, reasonText } from "../i18n/problems";

export type Stage = "request" | "connect" | "codec" | "decode" | "play" | "network";

/** Why a stream failed, in the user's words (given the translator when it is shown). */
export type Words = (t: Translate) => string;

/** The words of a reason code (problemStrings.ts): a WebSocket close code is `socket.<code>`. */
export function reason(code: string, params: ProblemParams = {}): Words {
  return (t) => reasonText(t, code, params, "problem.type.media-unavailable");
}

/** The words of a failed API request (an ApiError, a network failure). */
export function refused(failure: unknown): Words {
  return (t) => problemText(t, failure);
}

export class StreamError extends Error {
  readonly stage: Stage;
  /** A technical fact shown as code: a codec string, a browser's error name, a close code. */
  readonly info: string;
  readonly hevcUnsupported: boolean;
  /** The reason in words, when the server or the player knows one. */
  readonly words: Words | null;

  constructor(stage: Stage, info: string, hevcUnsupported = false, words: Words | null = null) {
    super(`${stage}: ${info}`);
    this.stage = stage;
    this.info = info;
    this.hevcUnsupported = hevcUnsupported;
    this.words = words;
  }
}

export interface StreamStats {
  codec: string | null;
  width: number;
  height: number;
  /** Received bits per second over the last second. */
  bitrate: number;
  /** Seconds between the newest media received and what is on screen. */
  latency: number;
  transport: "mse" | "hls";
}
