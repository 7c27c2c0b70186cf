// One video: asks the media plane for a session, plays it by MSE (HLS as fallback) and says
// at which stage it is, or at which stage it failed, with its stats on demand.
//
// Live: POST /channels/{id}/live → {session, ws_fmp4, hls}. Playback: POST
// /channels/{id}/playback {start, end, speed, purpose, case} → {session, ws_fmp4} (the purpose,
// and the case where there is one, are audited and checked by the access policy); the server paces the
// fragments at the speed asked for, so the video element itself plays at 1×. A playback stream
// starts with the recorded time of its first frame; from it and the video's clock the player
// reports the recorded time on screen (onPosition).
//
// The URLs of a view are bound to this login and expire a few minutes after `expires_at` unless
// renewed (POST /views/{session}/renew): the player renews a third of the way to each expiry
// for as long as it plays, so a wall plays for hours while a copied URL soon stops working.
// Should the server end the view (logout, disabled, scope lost) it closes the stream itself.
//
// A live view or playback of a channel with privacy masks comes blurred where they are: the
// player says so ("masked (N)") and offers to unmask, which reopens the view (a playback: from
// where it was asked to start) under an approved unmask request of the caller's with a purpose
// (or files one), and then says "unmasked under approval #N" until the view is masked again or
// the player shows another channel (UnmaskPanel, MaskBadge).

import { useEffect, useRef, useState } from "react";
import { ApiError, api, download, socketUrl } from "../api/client";
import type { LiveSession, PlaybackSession, ViewRenewed } from "../api/types";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n/I18n";
import { HlsPlayer } from "./hlsPlayer";
import { MaskBadge } from "./MaskBadge";
import type { Masking } from "./MaskBadge";
import { MsePlayer, mseAvailable } from "./msePlayer";
import { StreamError, refused } from "./stages";
import type { Stage, StreamStats } from "./stages";
import { UnmaskPanel } from "./UnmaskPanel";
import { liveBody, playbackBody } from "./unmask";
import type { Unmask } from "./unmask";

export interface PlaybackRequest {
  start: string;
  end: string;
  speed: number;
  /** Why the video is watched (required by the server, audited). */
  purpose: string;
  /** The case number, where the viewing belongs to one. */
  case?: string;
}

interface Props {
  channelId: string;
  title: string;
  playback?: PlaybackRequest;
  showStats?: boolean;
  /** Playback: the recorded time on screen (ms since epoch) as it plays; null before the first frame. */
  onPosition?: (at: number | null) => void;
  /** Whether Tab reaches the player's buttons (a wall lets only its active cell's be reached). */
  tabbable?: boolean;
}

type Engine = MsePlayer | HlsPlayer;

const MIN_RENEW_MS = 1000;

/** Renew the view `session` a third of the way to each expiry until the returned function is
 * called; a failed renewal is tried again (sooner) until the view has expired. */
function keepRenewing(session: string, expiresAt: string): () => void {
  let timer: number | undefined;
  let halted = false;
  const schedule = (until: string) => {
    const left = Date.parse(until) - Date.now();
    if (left <= 0 || halted) return;
    timer = window.setTimeout(() => {
      api<ViewRenewed>(`/views/${session}/renew`, { method: "POST" }).then(
        (renewed) => schedule(renewed.expires_at),
        (failure: unknown) => {
          // 404/403: the view is over (the server closes its stream); else a blip: retry.
          if (!(failure instanceof ApiError) || failure.status === 0 || failure.status >= 500) {
            schedule(until);
          }
        },
      );
    }, Math.max(MIN_RENEW_MS, left / 3));
  };
  schedule(expiresAt);
  return () => {
    halted = true;
    window.clearTimeout(timer);
  };
}

function formatBitrate(bits: number): string {
  if (bits >= 1e6) return `${(bits / 1e6).toFixed(2)} Mbit/s`;
  return `${Math.round(bits / 1e3)} kbit/s`;
}

export function Player({ channelId, title, playback, showStats = false, onPosition, tabbable = true }: Props) {
  const { t } = useI18n();
  const { can } = useSession();
  const video = useRef<HTMLVideoElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const engine = useRef<Engine | null>(null);
  const [stage, setStage] = useState<Stage | "idle">("idle");
  const [error, setError] = useState<StreamError | null>(null);
  const [stats, setStats] = useState<StreamStats | null>(null);
  const [statsOpen, setStatsOpen] = useState(showStats);
  const [masking, setMasking] = useState<Masking | null>(null);
  // An unmask holds for the channel it was asked for, not for the next one the player shows.
  const [unmasked, setUnmasked] = useState<{ channelId: string; unmask: Unmask } | null>(null);
  const unmask = unmasked?.channelId === channelId ? unmasked.unmask : null;
  const setUnmask = (asked: Unmask | null) => setUnmasked(asked ? { channelId, unmask: asked } : null);
  const [unmaskOpen, setUnmaskOpen] = useState(false);
  const viewKey = JSON.stringify({ playback: playback ?? null, unmask });
  const origin = useRef<number | null>(null);
  const reportPosition = useRef(onPosition);
  reportPosition.current = onPosition;
  const speed = playback?.speed ?? 1;

  // The server paces a playback at its speed: a second of video is `speed` recorded seconds.
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    const report = () => {
      if (origin.current !== null) reportPosition.current?.(origin.current + element.currentTime * 1000 * speed);
    };
    element.addEventListener("timeupdate", report);
    return () => element.removeEventListener("timeupdate", report);
  }, [speed]);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    let cancelled = false;
    setError(null);
    setStats(null);
    setMasking(null);
    setStage("request");
    origin.current = null;
    reportPosition.current?.(null);
    const events = {
      onStage: (next: Stage) => !cancelled && setStage(next),
      onStats: (next: StreamStats) => !cancelled && setStats(next),
      onError: (failure: StreamError) => !cancelled && fallback(failure),
      onOrigin: (at: number) => {
        if (!cancelled) origin.current = at;
      },
    };
    let session: { ws_fmp4: string; hls?: string } | null = null;
    let stopRenewing: () => void = () => undefined;
    let triedHls = false;
    const fallback = (failure: StreamError) => {
      // A WebSocket that cannot be opened (a proxy that refuses upgrades) may still pass HLS;
      // a stream the server ended, or a codec refusal, would fail the same way there.
      if (session?.hls && !triedHls && failure.stage === "connect") {
        triedHls = true;
        engine.current = new HlsPlayer(element, session.hls, events);
        engine.current.start();
        return;
      }
      stopRenewing();
      setError(failure);
    };
    const path = playback ? `/channels/${channelId}/playback` : `/channels/${channelId}/live`;
    api<LiveSession | PlaybackSession>(path, { json: playback ? playbackBody(playback, unmask) : liveBody(unmask) })
      .then((started) => {
        if (cancelled) return;
        session = started;
        if ("masks" in started) setMasking({ masks: started.masks, unmasked: started.unmasked });
        stopRenewing = keepRenewing(started.session, started.expires_at);
        if (mseAvailable()) {
          engine.current = new MsePlayer(element, socketUrl(started.ws_fmp4), events, !playback);
        } else if ("hls" in started) {
          engine.current = new HlsPlayer(element, started.hls, events);
        } else {
          throw new StreamError("codec", "MediaSource");
        }
        engine.current.start();
      })
      .catch((failure: Error) => {
        if (failure instanceof StreamError) return !cancelled && setError(failure);
        if (!cancelled) setError(new StreamError("request", "", false, refused(failure)));
      });
    return () => {
      cancelled = true;
      stopRenewing();
      engine.current?.stop();
      engine.current = null;
    };
    // viewKey stands for the playback request's contents and the unmask
  }, [channelId, viewKey]);

  // The server takes the snapshot (GET /channels/{id}/snapshot), so it is authorised and audited.
  const snapshot = async () => {
    try {
      const taken = new Date().toISOString().replace(/[:.]/g, "");
      await download(`/api/v1/channels/${channelId}/snapshot`, `${channelId}-${taken}.jpg`);
    } catch (failure) {
      setError(new StreamError("request", "", false, refused(failure)));
    }
  };

  const fullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void frame.current?.requestFullscreen();
  };

  const tabIndex = tabbable ? undefined : -1;
  const errorText = error
    ? error.hevcUnsupported
      ? t("player.hevcUnsupported", { codec: error.info })
      : t("player.failed", { stage: t(`stage.${error.stage}`), info: error.words?.(t) ?? "" })
    : null;

  return (
    <div className="player" ref={frame} data-channel={channelId} data-stage={error ? "error" : stage}>
      <video ref={video} muted playsInline aria-label={title} />
      <div className="player-title">{title}</div>
      {masking && <MaskBadge masking={masking} approval={unmask?.approval ?? null} />}
      {unmaskOpen && (
        <UnmaskPanel
          channelId={channelId}
          onClose={() => setUnmaskOpen(false)}
          onUnmask={(asked) => {
            setUnmaskOpen(false);
            setUnmask(asked);
          }}
        />
      )}
      {!error && stage !== "play" && (
        <div className="player-overlay" role="status">
          {t("player.stage", { stage: t(`stage.${stage === "idle" ? "request" : stage}`) })}
        </div>
      )}
      {errorText && (
        <div className="player-overlay error" role="alert">
          {errorText}
          {error && !error.hevcUnsupported && error.info && (
            <code translate="no"> {error.info}</code>
          )}
        </div>
      )}
      {statsOpen && stats && (
        <dl className="player-stats" aria-label={t("player.stats")}>
          <dt>{t("player.codec")}</dt>
          <dd translate="no">{stats.codec ?? "—"}</dd>
          <dt>{t("player.resolution")}</dt>
          <dd>{stats.width ? `${stats.width}×${stats.height}` : "—"}</dd>
          <dt>{t("player.bitrate")}</dt>
          <dd>{formatBitrate(stats.bitrate)}</dd>
          <dt>{t("player.latency")}</dt>
          <dd>{stats.latency.toFixed(2)} s</dd>
          <dt>{t("player.transport")}</dt>
          <dd translate="no">{stats.transport.toUpperCase()}</dd>
        </dl>
      )}
      <div className="player-tools">
        <button type="button" onClick={() => setStatsOpen((v) => !v)} aria-pressed={statsOpen} tabIndex={tabIndex}>
          {t("player.stats")}
        </button>
        <button type="button" onClick={() => void snapshot()} disabled={stage !== "play"} tabIndex={tabIndex}>
          {t("player.snapshot")}
        </button>
        {!unmask && masking && masking.masks > 0 && can("video:playback") && (
          <button type="button" onClick={() => setUnmaskOpen((v) => !v)} aria-pressed={unmaskOpen} tabIndex={tabIndex}>
            {t("player.unmask")}
          </button>
        )}
        {unmask && (
          <button type="button" onClick={() => setUnmask(null)} tabIndex={tabIndex}>
            {t("player.remask")}
          </button>
        )}
        <button type="button" onClick={fullscreen} tabIndex={tabIndex}>
          {t("player.fullscreen")}
        </button>
      </div>
    </div>
  );
}
