// fMP4 over WebSocket into Media Source Extensions: the low-latency path for live and playback.
//
// The first binary message must be (or begin with) the init segment; its codec decides whether
// this browser can play the stream at all (H.265 is refused by many). Media segments are
// appended in order; the buffer behind the playhead is trimmed and a player that falls behind
// the live edge jumps forward, so latency stays bounded however long the wall runs.

import { parseInit } from "./codec";
import type { InitInfo } from "./codec";
import type { ProblemParams } from "../api/client";
import { StreamError, reason } from "./stages";
import type { StreamStats } from "./stages";

const KEEP_BEHIND_S = 20;
const MAX_LIVE_LAG_S = 3;
const MAX_QUEUE = 200;
const CONNECT_TIMEOUT_MS = 10_000;

export interface PlayerEvents {
  onStage: (stage: "connect" | "codec" | "play") => void;
  onError: (error: StreamError) => void;
  onStats: (stats: StreamStats) => void;
  /** Playback: the recorded wall time (ms since epoch) of the stream's first frame. */
  onOrigin?: (at: number) => void;
}

export function mseAvailable(): boolean {
  return typeof window.MediaSource !== "undefined";
}

export class MsePlayer {
  private socket: WebSocket | null = null;
  private source = new MediaSource();
  private buffer: SourceBuffer | null = null;
  private queue: ArrayBuffer[] = [];
  private info: InitInfo | null = null;
  private bytes = 0;
  private statsTimer: number | undefined;
  private connectTimer: number | undefined;
  private objectUrl: string;
  private stopped = false;
  private readonly video: HTMLVideoElement;
  private readonly url: string;
  private readonly events: PlayerEvents;
  private readonly live: boolean;

  constructor(video: HTMLVideoElement, url: string, events: PlayerEvents, live: boolean) {
    this.video = video;
    this.url = url;
    this.events = events;
    this.live = live;
    this.objectUrl = URL.createObjectURL(this.source);
  }

  start(): void {
    this.events.onStage("connect");
    this.video.src = this.objectUrl;
    const socket = new WebSocket(this.url);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    this.connectTimer = window.setTimeout(
      () => this.fail(new StreamError("connect", "", false, reason("socket.timeout"))),
      CONNECT_TIMEOUT_MS,
    );
    socket.onopen = () => window.clearTimeout(this.connectTimer);
    socket.onmessage = (message) => {
      if (message.data instanceof ArrayBuffer) this.receive(message.data);
      else this.control(String(message.data));
    };
    socket.onerror = () => this.fail(new StreamError("connect", this.url.split("?")[0]));
    socket.onclose = (close) => {
      if (!this.stopped && close.code !== 1000) {
        this.fail(new StreamError("network", String(close.code), false, reason(`socket.${close.code}`)));
      }
    };
    this.video.onerror = () => {
      const error = this.video.error;
      this.fail(new StreamError("decode", error ? `MediaError ${error.code}` : "MediaError"));
    };
    this.statsTimer = window.setInterval(() => this.report(), 1000);
  }

  stop(): void {
    this.stopped = true;
    window.clearInterval(this.statsTimer);
    window.clearTimeout(this.connectTimer);
    this.socket?.close();
    this.socket = null;
    this.video.onerror = null;
    this.video.removeAttribute("src");
    this.video.load();
    URL.revokeObjectURL(this.objectUrl);
  }

  private fail(error: StreamError): void {
    if (this.stopped) return;
    this.stop();
    this.events.onError(error);
  }

  /** Text frames (playback): `{"type": "error", "code", "params"}` fails; `{"type": "init",
   * "at"}` gives the recorded time of the first frame; end needs nothing. */
  private control(text: string): void {
    try {
      const message = JSON.parse(text) as { type?: string; code?: string; params?: ProblemParams; at?: string };
      if (message.type === "error") {
        const words = reason(message.code ?? "control.refused", message.params ?? {});
        this.fail(new StreamError("network", "", false, words));
      }
      if (message.type === "init" && message.at) this.events.onOrigin?.(Date.parse(message.at));
    } catch {
      // not JSON: nothing the player acts on
    }
  }

  private receive(data: ArrayBuffer): void {
    this.bytes += data.byteLength;
    if (!this.info) {
      this.events.onStage("codec");
      const info = parseInit(data);
      if (!info) {
        this.fail(new StreamError("codec", "", false, reason("stream.not_fmp4")));
        return;
      }
      if (!MediaSource.isTypeSupported(info.mime)) {
        this.fail(new StreamError("codec", info.video ?? info.mime, info.hevc));
        return;
      }
      this.info = info;
      this.open(info);
    }
    if (this.queue.length >= MAX_QUEUE) this.queue.shift();
    this.queue.push(data);
    this.pump();
  }

  private open(info: InitInfo): void {
    const create = () => {
      try {
        this.buffer = this.source.addSourceBuffer(info.mime);
      } catch (error) {
        this.fail(new StreamError("codec", `${info.mime} ${(error as Error).name}`));
        return;
      }
      this.buffer.mode = "segments";
      this.buffer.addEventListener("updateend", () => this.pump());
      this.pump();
    };
    if (this.source.readyState === "open") create();
    else this.source.addEventListener("sourceopen", create, { once: true });
  }

  private pump(): void {
    const buffer = this.buffer;
    if (!buffer || buffer.updating || this.stopped) return;
    const ranges = buffer.buffered;
    const now = this.video.currentTime;
    if (ranges.length && now - ranges.start(0) > KEEP_BEHIND_S * 1.5) {
      buffer.remove(ranges.start(0), now - KEEP_BEHIND_S);
      return;
    }
    const next = this.queue.shift();
    if (!next) return;
    try {
      buffer.appendBuffer(next);
    } catch (error) {
      this.fail(new StreamError("decode", (error as Error).name));
      return;
    }
    this.follow();
  }

  /** Start playing once there is media, and in live mode stay near the newest frame. */
  private follow(): void {
    const ranges = this.buffer?.buffered;
    if (!ranges || !ranges.length) return;
    const end = ranges.end(ranges.length - 1);
    if (this.video.paused && end > 0) {
      if (this.video.currentTime < ranges.start(0)) this.video.currentTime = ranges.start(0);
      this.video.play().then(
        () => this.events.onStage("play"),
        (error: Error) => error.name !== "AbortError" && this.fail(new StreamError("play", error.name)),
      );
    }
    if (this.live && end - this.video.currentTime > MAX_LIVE_LAG_S) {
      this.video.currentTime = Math.max(ranges.start(ranges.length - 1), end - 0.5);
    }
  }

  private report(): void {
    const ranges = this.buffer?.buffered;
    const end = ranges && ranges.length ? ranges.end(ranges.length - 1) : this.video.currentTime;
    this.events.onStats({
      codec: this.info?.video ?? null,
      width: this.video.videoWidth,
      height: this.video.videoHeight,
      bitrate: this.bytes * 8,
      latency: Math.max(0, end - this.video.currentTime),
      transport: "mse",
    });
    this.bytes = 0;
  }
}
