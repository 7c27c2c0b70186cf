// One channel's answer to a video search: how much of the period is on record, the recorded
// spans as bars on the period and as a list, and the tracks analytics saw (object, its attributes,
// appeared, left, whether its start is on record); every span and track opens the playback page
// at its start.

import type { ChannelHits, TrackHit } from "../api/types";
import { labelWord } from "../alarms/alarmWords";
import { DataTable } from "../components/DataTable";
import { useI18n } from "../i18n/I18n";
import { playbackLink } from "../playback/playbackLink";
import { Link } from "../shell/router";
import { attributeWords } from "./attributes";
import { barOf, durationWords } from "./searchModel";

interface Props {
  hits: ChannelHits;
  name: string;
  /** The period searched, ms since the epoch. */
  start: number;
  end: number;
}

function Label({ label }: { label: string }) {
  const { t } = useI18n();
  const word = labelWord(t, label);
  return word ?? <span translate="no">{label}</span>;
}

export function ChannelHitsView({ hits, name, start, end }: Props) {
  const { t, time } = useI18n();
  const id = hits.channel_id;
  const duration = durationWords(hits.recorded_seconds);
  const play = (at: string) => playbackLink(id, at);
  return (
    <section className="search-hits" data-channel={id} aria-labelledby={`hits-${id}`}>
      <h4 id={`hits-${id}`}>
        {name} <span className="mono muted">{id}</span>
      </h4>
      <p data-testid="recorded" data-seconds={hits.recorded_seconds}>
        {hits.recorded.length ? t("search.recorded", { duration: t(duration.key, duration.params) }) : t("search.nothingRecorded")}
      </p>
      <div className="search-bar" aria-hidden="true">
        {hits.recorded.map((span) => {
          const bar = barOf(span, start, end);
          return (
            <Link
              key={span.start}
              className="span recorded"
              href={play(span.start)}
              tabIndex={-1}
              title={`${time(span.start)} – ${time(span.end)}`}
              style={{ left: `${bar.left}%`, width: `max(${bar.width}%, 2px)` }}
            />
          );
        })}
      </div>
      <div className="search-bar-ends muted" aria-hidden="true">
        <span>{time(new Date(start))}</span>
        <span>{time(new Date(end))}</span>
      </div>
      {hits.recorded.length > 0 && (
        <>
          <h5>{t("search.spans")}</h5>
          <ul className="plain-list search-spans">
            {hits.recorded.map((span) => (
              <li key={span.start}>
                <Link href={play(span.start)} title={t("search.playFrom", { time: time(span.start) })} data-at={span.start}>
                  {time(span.start)} – {time(span.end)}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <DataTable<TrackHit>
        caption={t("search.tracks")}
        rows={hits.tracks}
        rowKey={(hit) => hit.track.id}
        rowProps={(hit) => ({ "data-track": hit.track.id, "data-recorded": hit.recorded })}
        empty={t("search.noTracks")}
        columns={[
          { key: "label", header: t("search.trackLabel"), cell: (hit) => <Label label={hit.track.label} />, rowHeader: true },
          { key: "attributes", header: t("search.attributes"), cell: (hit) => attributeWords(t, hit.track.attributes) ?? "—" },
          { key: "start", header: t("search.trackStart"), cell: (hit) => time(hit.track.started_at) },
          { key: "end", header: t("search.trackEnd"), cell: (hit) => (hit.track.ended_at ? time(hit.track.ended_at) : t("search.stillTracked")) },
          { key: "recorded", header: t("search.trackRecorded"), cell: (hit) => t(hit.recorded ? "search.yes" : "search.no") },
          {
            key: "play",
            header: t("search.play"),
            className: "actions",
            cell: (hit) => (
              <Link href={play(hit.track.started_at)} aria-label={t("search.playFrom", { time: time(hit.track.started_at) })}>
                {t("search.play")}
              </Link>
            ),
          },
        ]}
      />
      {hits.more && <p className="muted">{t("search.more", { count: hits.tracks.length })}</p>}
    </section>
  );
}
