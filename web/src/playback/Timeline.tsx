// A 24-hour timeline (a slider for assistive technology): recorded spans and gaps in two
// colours, a cursor at the playback position (where the video is while it plays, else the time
// chosen); click or arrow keys to seek.

import type { KeyboardEvent, MouseEvent } from "react";
import { useI18n } from "../i18n/I18n";
import { DAY_MS } from "./segments";
import type { Span } from "./segments";

interface Props {
  from: number;
  spans: Span[];
  /** The time chosen (the playback started there). */
  position: number | null;
  /** The recorded time on screen while a playback plays. */
  playing?: number | null;
  onSeek: (at: number) => void;
}

const MINUTE = 60_000;
const HOURS = [0, 3, 6, 9, 12, 15, 18, 21, 24];

export function Timeline({ from, spans, position, playing = null, onSeek }: Props) {
  const { t, time } = useI18n();
  const cursor = playing ?? position;
  const pct = (at: number) => `${((at - from) / DAY_MS) * 100}%`;
  const clamp = (at: number) => Math.min(from + DAY_MS - 1000, Math.max(from, at));

  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    onSeek(clamp(from + ((event.clientX - box.left) / box.width) * DAY_MS));
  };
  const onKey = (event: KeyboardEvent) => {
    const steps: Record<string, number> = {
      ArrowLeft: -MINUTE,
      ArrowRight: MINUTE,
      PageDown: -3600 * 1000,
      PageUp: 3600 * 1000,
    };
    if (event.key in steps) {
      event.preventDefault();
      onSeek(clamp((cursor ?? from) + steps[event.key]));
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      onSeek(clamp(event.key === "Home" ? from : from + DAY_MS));
    }
  };

  return (
    <div className="timeline-wrap">
      <div
        className="timeline"
        role="slider"
        tabIndex={0}
        aria-label={t("playback.timeline")}
        aria-valuemin={0}
        aria-valuemax={24 * 60}
        aria-valuenow={cursor === null ? 0 : Math.round((cursor - from) / MINUTE)}
        aria-valuetext={cursor === null ? t("playback.noPosition") : time(new Date(cursor))}
        onClick={onClick}
        onKeyDown={onKey}
      >
        {spans.map((span) => (
          <div
            key={span.start}
            className={`span ${span.recorded ? "recorded" : "gap"}`}
            style={{ left: pct(span.start), width: pct(from + span.end - span.start) }}
            title={`${span.recorded ? t("playback.recorded") : t("playback.gap")} ${time(new Date(span.start))} – ${time(new Date(span.end))}`}
          />
        ))}
        {cursor !== null && <div className="cursor" style={{ left: pct(cursor) }} />}
      </div>
      <div className="ticks" aria-hidden="true">
        {HOURS.map((hour) => (
          <span key={hour} style={{ left: `${(hour / 24) * 100}%` }}>
            {String(hour).padStart(2, "0")}:00
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
