// Playback of one channel: its day on a timeline, seek, speed 0.5–8×, export of a range.
// Recordings: GET /channels/{id}/recordings?start=&end=. Export: POST /channels/{id}/exports
// starts a job; when GET /exports/{job} says done, the video and its manifest are downloaded.

import { useEffect, useMemo, useState } from "react";
import type { FormEvent } from "react";
import { api, download } from "../api/client";
import type { ExportStatus, RecordingList, RecordingSegment } from "../api/types";
import { isoDate } from "../i18n/dates";
import { useI18n } from "../i18n/I18n";
import { problemText, reasonText } from "../i18n/problems";
import { Player } from "../player/Player";
import { navigate, useLocation } from "../shell/router";
import { ResourceTree } from "../tree/ResourceTree";
import { useCatalog } from "../tree/catalog";
import { DAY_MS, dayStart, spans } from "./segments";
import { Timeline } from "./Timeline";

export const SPEEDS = [0.5, 1, 2, 4, 8];
const EXPORT_POLLS = 600; // one a second: an export longer than ten minutes is reported, not awaited

function today(): string {
  return isoDate(new Date());
}

function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function PlaybackPage() {
  const { t, time } = useI18n();
  const { query } = useLocation();
  const { channels } = useCatalog();
  const channelId = query.get("channel");
  const channel = channelId ? channels.get(channelId) : undefined;
  const [date, setDate] = useState(today);
  const [segments, setSegments] = useState<RecordingSegment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [position, setPosition] = useState<number | null>(null);
  const [playing, setPlaying] = useState<number | null>(null);
  const [speed, setSpeed] = useState(1);
  const from = dayStart(date);
  const [exportFrom, setExportFrom] = useState(() => localInput(from + 8 * 3600_000));
  const [exportTo, setExportTo] = useState(() => localInput(from + 8 * 3600_000 + 600_000));
  const [exportState, setExportState] = useState<string | null>(null);
  const [purpose, setPurpose] = useState("");

  useEffect(() => {
    if (!channelId) return;
    const start = new Date(from).toISOString();
    const end = new Date(from + DAY_MS).toISOString();
    setError(null);
    setSegments([]);
    setPosition(null);
    const params = new URLSearchParams({ start, end });
    api<RecordingList>(`/channels/${channelId}/recordings?${params}`)
      .then((result) => setSegments(result.segments))
      .catch((failure: unknown) => setError(problemText(t, failure)));
  }, [channelId, from]);

  const daySpans = useMemo(() => spans(segments, from, from + DAY_MS), [segments, from]);

  const runExport = async (event: FormEvent) => {
    event.preventDefault();
    if (!channelId) return;
    const range = { start: new Date(exportFrom).toISOString(), end: new Date(exportTo).toISOString() };
    setExportState(t("playback.exporting"));
    try {
      let job = await api<ExportStatus>(`/channels/${channelId}/exports`, {
        json: { ...range, purpose },
      });
      for (let polls = 0; job.state === "running" && polls < EXPORT_POLLS; polls += 1) {
        await new Promise((resolve) => window.setTimeout(resolve, 1000));
        job = await api<ExportStatus>(`/exports/${job.id}`);
      }
      if (job.state !== "done") {
        const code = job.error_code ?? `job.${job.state}`;
        setExportState(reasonText(t, code, job.error_params ?? {}, "problem.export.failed"));
        return;
      }
      await download(`/api/v1/exports/${job.id}/video`, `${channelId}-${job.id}.mp4`);
      await download(`/api/v1/exports/${job.id}/manifest`, `${channelId}-${job.id}.manifest.json`);
      setExportState(t("playback.exported"));
    } catch (failure) {
      setExportState(problemText(t, failure));
    }
  };

  return (
    <div className="with-tree">
      <ResourceTree
        onOpenChannel={(id) => navigate(`/playback?channel=${id}`)}
        selectedChannel={channelId}
      />
      <section className="page playback-page" aria-labelledby="playback-title">
        <div className="toolbar">
          <h2 id="playback-title">
            {t("playback.title")}
            {channel ? ` · ${channel.name}` : ""}
          </h2>
          <label className="inline">
            {t("playback.date")}
            <input type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
          </label>
          <label className="inline">
            {t("playback.speed")}
            <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
        </div>
        {!channelId && <p className="muted">{t("playback.pick")}</p>}
        {channelId && (
          <>
            <div className="playback-video">
              {position !== null ? (
                <Player
                  channelId={channelId}
                  title={channel?.name ?? channelId}
                  playback={{
                    start: new Date(position).toISOString(),
                    end: new Date(from + DAY_MS).toISOString(),
                    speed,
                  }}
                  onPosition={setPlaying}
                />
              ) : (
                <p className="muted">{t("playback.clickToSeek")}</p>
              )}
            </div>
            {error && (
              <p className="error" role="alert">
                {t("playback.unavailable", { detail: error })}
              </p>
            )}
            <p className="playback-position">
              {t("playback.position")}{" "}
              <output data-testid="playback-position" data-at={playing ?? ""}>
                {playing === null ? "—" : time(new Date(playing))}
              </output>
            </p>
            <Timeline from={from} spans={daySpans} position={position} playing={playing} onSeek={setPosition} />
            <form className="export" onSubmit={runExport}>
              <h3>{t("playback.export")}</h3>
              <label className="inline">
                {t("playback.from")}
                <input type="datetime-local" value={exportFrom} onChange={(e) => setExportFrom(e.target.value)} />
              </label>
              <label className="inline">
                {t("playback.to")}
                <input type="datetime-local" value={exportTo} onChange={(e) => setExportTo(e.target.value)} />
              </label>
              <label className="inline">
                {t("playback.purpose")}
                <input name="purpose" value={purpose} onChange={(e) => setPurpose(e.target.value)} required />
              </label>
              <button type="submit">{t("playback.exportButton")}</button>
              {exportState && <span role="status">{exportState}</span>}
            </form>
          </>
        )}
      </section>
    </div>
  );
}
