// Playback of one channel: its day on a timeline, seek, speed 0.5–8×, export of a range.
// Recordings: GET /channels/{id}/recordings?start=&end=. Playing needs a purpose (and takes a
// case number), committed for the tab in the purpose bar: the server audits it, so the player
// starts only once it is set. Export goes through an approval (ExportForm).
// The range defaults to the recorded video around the playhead until the user edits it. The
// channel and day chosen are kept for the browser tab (session storage): leaving the page and
// coming back, or reloading it, shows the same camera. An address with ?at= (an alarm's clip)
// opens that instant's day and plays from it. A channel with privacy masks plays blurred where
// they are; the player says so and offers to reopen the playback under an approved unmask
// request (Player, MaskBadge, UnmaskPanel).

import { useEffect, useMemo, useState } from "react";
import { api } from "../api/client";
import type { RecordingList, RecordingSegment } from "../api/types";
import { isoDate } from "../i18n/dates";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { Player } from "../player/Player";
import { navigate, useLocation } from "../shell/router";
import { ResourceTree } from "../tree/ResourceTree";
import { useCatalog } from "../tree/catalog";
import { ExportForm } from "./ExportForm";
import { exportDefault } from "./exportRange";
import { purposeFields } from "./purpose";
import { PurposeBar, usePurpose } from "./PurposeBar";
import { DAY_MS, dayStart, spans } from "./segments";
import { Timeline } from "./Timeline";
import { ZOOMS, follow, viewAround } from "./zoom";
import type { View } from "./zoom";

export const SPEEDS = [0.5, 1, 2, 4, 8];

const KEPT = "vigil.playback";

interface Kept {
  channel: string | null;
  date: string;
}

function kept(): Kept {
  try {
    const value = JSON.parse(window.sessionStorage.getItem(KEPT) ?? "null") as Partial<Kept> | null;
    const date = typeof value?.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value.date) ? value.date : isoDate(new Date());
    return { channel: typeof value?.channel === "string" ? value.channel : null, date };
  } catch {
    return { channel: null, date: isoDate(new Date()) };
  }
}

/** An instant of the address (?at=, ISO 8601) in milliseconds, or null. */
function instant(value: string | null): number | null {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? null : ms;
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
  const at = instant(query.get("at"));
  const [date, setDate] = useState(() => (at === null ? kept().date : isoDate(new Date(at))));
  const [segments, setSegments] = useState<RecordingSegment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [position, setPosition] = useState<number | null>(null);
  const [playing, setPlaying] = useState<number | null>(null);
  const [speed, setSpeed] = useState(1);
  const from = dayStart(date);
  const [zoom, setZoom] = useState(0);
  const [view, setView] = useState<View>(() => viewAround(from, DAY_MS, from));
  const [exportFrom, setExportFrom] = useState("");
  const [exportTo, setExportTo] = useState("");
  const [exportEdited, setExportEdited] = useState(false);
  const [purpose, setPurpose] = usePurpose();
  const cursor = playing ?? position;

  // The camera and day are kept for the tab; back on the page without a channel, the kept one.
  useEffect(() => {
    if (channelId) window.sessionStorage.setItem(KEPT, JSON.stringify({ channel: channelId, date }));
    else {
      const last = kept().channel;
      if (last) navigate(`/playback?channel=${encodeURIComponent(last)}`, true);
    }
  }, [channelId, date]);

  // A new day or camera: the whole day on screen, the export range its default again.
  useEffect(() => {
    setZoom(0);
    setView(viewAround(from, DAY_MS, from));
    setExportEdited(false);
  }, [channelId, from]);

  // A playing cursor that leaves the window takes the window with it.
  useEffect(() => setView((current) => follow(from, current, cursor)), [cursor, from]);

  useEffect(() => {
    if (!channelId) return;
    const start = new Date(from).toISOString();
    const end = new Date(from + DAY_MS).toISOString();
    setError(null);
    setSegments([]);
    setPosition(null);
    const params = new URLSearchParams({ start, end });
    api<RecordingList>(`/channels/${channelId}/recordings?${params}`)
      .then((result) => {
        setSegments(result.segments);
        if (at !== null && at >= from && at < from + DAY_MS) setPosition(at);
      })
      .catch((failure: unknown) => setError(problemText(t, failure)));
  }, [channelId, from, at]);

  // A new ?at= on the page already open: its day.
  useEffect(() => {
    if (at !== null) setDate(isoDate(new Date(at)));
  }, [at]);

  const daySpans = useMemo(() => spans(segments, from, from + DAY_MS), [segments, from]);

  // Until the user edits it, the export range is the recorded video on screen around the cursor
  // (the day's, when the window shows none).
  useEffect(() => {
    if (exportEdited) return;
    const range = exportDefault(daySpans, view, cursor) ?? exportDefault(daySpans, viewAround(from, DAY_MS, from), cursor);
    setExportFrom(range ? localInput(range.start) : "");
    setExportTo(range ? localInput(range.end) : "");
  }, [daySpans, view, cursor, exportEdited, from]);

  const zoomTo = (index: number, centre?: number) => {
    const middle = (view.start + view.end) / 2;
    setZoom(index);
    setView(viewAround(from, ZOOMS[index].span, centre ?? cursor ?? middle));
  };
  const pan = (delta: number) => setView((current) => viewAround(from, current.end - current.start, (current.start + current.end) / 2 + delta));

  /** A change to an end of the export range: the user's choice now stands over the default. */
  const editExport = (setEnd: (value: string) => void) => (value: string) => {
    setExportEdited(true);
    setEnd(value);
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
        <PurposeBar value={purpose} onCommit={setPurpose} />
        {!channelId && <p className="muted">{t("playback.pick")}</p>}
        {channelId && (
          <>
            <div className="playback-video">
              {!purpose ? (
                <p className="muted" data-testid="purpose-prompt">{t("purpose.prompt")}</p>
              ) : position !== null ? (
                <Player
                  channelId={channelId}
                  title={channel?.name ?? channelId}
                  playback={{
                    start: new Date(position).toISOString(),
                    end: new Date(from + DAY_MS).toISOString(),
                    speed,
                    ...purposeFields(purpose),
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
            <Timeline
              from={from}
              spans={daySpans}
              view={view}
              zoom={zoom}
              position={position}
              playing={playing}
              onSeek={setPosition}
              onZoom={zoomTo}
              onPan={pan}
            />
            <ExportForm
              channelId={channelId}
              from={exportFrom}
              to={exportTo}
              onFrom={editExport(setExportFrom)}
              onTo={editExport(setExportTo)}
              purpose={purpose}
            />
          </>
        )}
      </section>
    </div>
  );
}
