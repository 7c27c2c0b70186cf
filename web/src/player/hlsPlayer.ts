// The fallback: HLS through hls.js (or the browser's own HLS where it has one). hls.js is loaded
// when a player first falls back to it, not with the console (it is half the console's script).

import type Hls from "hls.js";
import { StreamError } from "./stages";
import type { PlayerEvents } from "./msePlayer";

export class HlsPlayer {
  private hls: Hls | null = null;
  private statsTimer: number | undefined;
  private readonly video: HTMLVideoElement;
  private readonly url: string;
  private readonly events: PlayerEvents;
  private bytes = 0;
  private codec: string | null = null;
  private stopped = false;

  constructor(video: HTMLVideoElement, url: string, events: PlayerEvents) {
    this.video = video;
    this.url = url;
    this.events = events;
  }

  start(): void {
    this.events.onStage("connect");
    import("hls.js").then(
      ({ default: Hls }) => {
        if (!this.stopped) this.begin(Hls);
      },
      (error: Error) => this.events.onError(new StreamError("network", error.message)),
    );
  }

  private begin(Hls: typeof import("hls.js").default): void {
    if (Hls.isSupported()) {
      const hls = new Hls({ lowLatencyMode: true, liveSyncDurationCount: 2 });
      this.hls = hls;
      hls.on(Hls.Events.FRAG_LOADED, (_event, data) => {
        this.bytes += data.frag.stats.loaded;
      });
      hls.on(Hls.Events.LEVEL_LOADED, (_event, data) => {
        this.codec = hls.levels[data.level]?.videoCodec ?? this.codec;
      });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        const stage = data.type === Hls.ErrorTypes.NETWORK_ERROR ? "network" : "decode";
        this.stop();
        this.events.onError(new StreamError(stage, data.details));
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => this.play());
      hls.loadSource(this.url);
      hls.attachMedia(this.video);
    } else if (this.video.canPlayType("application/vnd.apple.mpegurl")) {
      this.video.src = this.url;
      this.play();
    } else {
      this.events.onError(new StreamError("codec", "HLS"));
      return;
    }
    this.statsTimer = window.setInterval(() => this.report(), 1000);
  }

  stop(): void {
    this.stopped = true;
    window.clearInterval(this.statsTimer);
    this.hls?.destroy();
    this.hls = null;
    this.video.removeAttribute("src");
    this.video.load();
  }

  private play(): void {
    this.video.play().then(
      () => this.events.onStage("play"),
      (error: Error) => {
        // AbortError: a newer load superseded this play(); that load plays in its turn.
        if (error.name !== "AbortError") this.events.onError(new StreamError("play", error.name));
      },
    );
  }

  private report(): void {
    const ranges = this.video.buffered;
    const end = ranges.length ? ranges.end(ranges.length - 1) : this.video.currentTime;
    this.events.onStats({
      codec: this.codec,
      width: this.video.videoWidth,
      height: this.video.videoHeight,
      bitrate: this.bytes * 8,
      latency: this.hls?.latency ?? Math.max(0, end - this.video.currentTime),
      transport: "hls",
    });
    this.bytes = 0;
  }
}
