// The stages a stream goes through; a failure names the stage so the operator knows where.

export type Stage = "request" | "connect" | "codec" | "decode" | "play" | "network";

export class StreamError extends Error {
  readonly stage: Stage;
  /** Extra fact for the message: a codec string, a status, the server's detail. */
  readonly info: string;
  readonly hevcUnsupported: boolean;

  constructor(stage: Stage, info: string, hevcUnsupported = false) {
    super(`${stage}: ${info}`);
    this.stage = stage;
    this.info = info;
    this.hevcUnsupported = hevcUnsupported;
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
