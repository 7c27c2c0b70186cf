// The day's timeline (a slider for assistive technology) zoomed to a window of it: 24 h, 1 h or
// 5 min. Recorded spans and gaps in two colours, a cursor at the playback position (where the
// video is while it plays, else the time chosen); click or arrow keys to seek; + and - (or the
// wheel, or the buttons) zoom around the cursor, the buttons beside them move the window.

import { useEffect, useRef } from "react";
import type { KeyboardEvent, MouseEvent } from "react";
import { useI18n } from "../i18n/I18n";
import type { StringKey } from "../i18n/strings";
import { DAY_MS } from "./segments";
import type { Span } from "./segments";
import { MINUTE_MS, ZOOMS, clock, tickLabel, ticks } from "./zoom";
import type { View } from "./zoom";
import "./playback.css";

interface Props {
  from: number;
  spans: Span[];
  view: View;
  zoom: number;
  /** The time chosen (the playback started there). */
  position: number | null;
  /** The recorded time on screen while a playback plays. */
  playing?: number | null;
  onSeek: (at: number) => void;
  /** Zoom to ``ZOOMS[index]``, centred on ``centre`` (else on the cursor). */
  onZoom: (index: number, centre?: number) => void;
  /** Move the window by ``delta`` ms. */
  onPan: (delta: number) => void;
}

const ZOOM_LABELS: StringKey[] = ["playback.zoomDay", "playback.zoomHour", "playback.zoomFive"];

export function Timeline({ from, spans, view, zoom, position, playing = null, onSeek, onZoom, onPan }: Props) {
  const { t, time } = useI18n();
  const bar = useRef<HTMLDivElement>(null);
  const cursor = playing ?? position;
  const width = view.end - view.start;
  const pct = (at: number) => `${((at - view.start) / width) * 100}%`;
  const clamp = (at: number) => Math.min(from + DAY_MS - 1000, Math.max(from, at));
  const at = (clientX: number) => {
    const box = bar.current!.getBoundingClientRect();
    return view.start + ((clientX - box.left) / box.width) * width;
  };

  // The wheel zooms around the time under the pointer (a native listener: React's is passive
  // and could not keep the page from scrolling).
  const wheel = useRef({ zoom, onZoom, at });
  wheel.current = { zoom, onZoom, at };
  useEffect(() => {
    const element = bar.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      const { zoom: current, onZoom: zoomTo, at: timeAt } = wheel.current;
      const next = current + (event.deltaY < 0 ? 1 : -1);
      if (next < 0 || next >= ZOOMS.length) return;
      event.preventDefault();
      zoomTo(next, timeAt(event.clientX));
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, []);

  const onClick = (event: MouseEvent<HTMLDivElement>) => onSeek(clamp(at(event.clientX)));
  const onKey = (event: KeyboardEvent) => {
    const steps: Record<string, number> = {
      ArrowLeft: -MINUTE_MS,
      ArrowRight: MINUTE_MS,
      PageDown: -3600 * 1000,
      PageUp: 3600 * 1000,
    };
    const zooms: Record<string, number> = { "+": 1, "=": 1, "-": -1 };
    if (event.key in steps) {
      event.preventDefault();
      onSeek(clamp((cursor ?? view.start) + steps[event.key]));
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      onSeek(clamp(event.key === "Home" ? from : from + DAY_MS));
    } else if (event.key in zooms) {
      event.preventDefault();
      onZoom(Math.min(ZOOMS.length - 1, Math.max(0, zoom + zooms[event.key])));
    }
  };

  const shown = spans.filter((s) => s.end > view.start && s.start < view.end);
  return (
    <div className="timeline-wrap">
      <div className="timeline-tools">
        <div role="group" aria-label={t("playback.zoom")} className="segmented">
          {ZOOMS.map((_, index) => (
            <button key={index} type="button" aria-pressed={zoom === index} data-zoom={index} onClick={() => onZoom(index)}>
              {t(ZOOM_LABELS[index])}
            </button>
          ))}
        </div>
        <button type="button" onClick={() => onPan(-width / 2)} disabled={view.start <= from} aria-label={t("playback.earlier")}>
          ◀
        </button>
        <span className="muted" data-testid="timeline-window">
          {clock(from, view.start)} – {clock(from, view.end)}
        </span>
        <button type="button" onClick={() => onPan(width / 2)} disabled={view.end >= from + DAY_MS} aria-label={t("playback.later")}>
          ▶
        </button>
        <span className="muted hint-inline">{t("playback.zoomHint")}</span>
      </div>
      <div
        ref={bar}
        className="timeline"
        role="slider"
        tabIndex={0}
        aria-label={t("playback.timeline")}
        aria-valuemin={0}
        aria-valuemax={24 * 60}
        aria-valuenow={cursor === null ? 0 : Math.round((cursor - from) / MINUTE_MS)}
        aria-valuetext={cursor === null ? t("playback.noPosition") : time(new Date(cursor))}
        data-view-start={view.start}
        data-view-end={view.end}
        onClick={onClick}
        onKeyDown={onKey}
      >
        {shown.map((span) => {
          const start = Math.max(span.start, view.start);
          const end = Math.min(span.end, view.end);
          return (
            <div
              key={span.start}
              className={`span ${span.recorded ? "recorded" : "gap"}`}
              style={{ left: pct(start), width: `${((end - start) / width) * 100}%` }}
              title={`${span.recorded ? t("playback.recorded") : t("playback.gap")} ${time(new Date(span.start))} – ${time(new Date(span.end))}`}
            />
          );
        })}
        {cursor !== null && cursor >= view.start && cursor <= view.end && (
          <div className="cursor" style={{ left: pct(cursor) }} />
        )}
      </div>
      <div className="ticks" aria-hidden="true">
        {ticks(from, view, ZOOMS[zoom]).map((tick) => (
          <span key={tick} style={{ left: pct(tick) }}>
            {tickLabel(from, tick)}
          </span>
        ))}
      </div>
      <div className="legend">
        <span className="swatch recorded" /> {t("playback.recorded")}
        <span className="swatch gap" /> {t("playback.gap")}
      </div>
    </div>
  );
}
