// 录像检索: search recorded video — on the channels chosen, in a period, optionally for one
// object class — for what is on record and what analytics saw in it (POST /search/video, which
// checks the `search` action on every channel and audits the search with its purpose). The
// answer is shown per channel (ChannelHitsView), each hit a way into the playback page.

import { useState } from "react";
import { api } from "../api/client";
import type { VideoSearchAsk, VideoSearchResult } from "../api/types";
import { ServerError } from "../components/Field";
import { useI18n } from "../i18n/I18n";
import { useSubmit } from "../manage/useSubmit";
import { useCatalog } from "../tree/catalog";
import { ChannelHitsView } from "./ChannelHitsView";
import { SearchForm } from "./SearchForm";
import "./search.css";

interface Found {
  answer: VideoSearchResult;
  start: number;
  end: number;
}

export function VideoSearchPage() {
  const { t, time } = useI18n();
  const { channels } = useCatalog();
  const [found, setFound] = useState<Found | null>(null);
  const submit = useSubmit();

  const search = (body: VideoSearchAsk) =>
    void submit.run(async () => {
      const answer = await api<VideoSearchResult>("/search/video", { json: body });
      setFound({ answer, start: Date.parse(body.start), end: Date.parse(body.end) });
    });

  return (
    <section className="page search-page" aria-labelledby="search-title">
      <h2 id="search-title">{t("search.title")}</h2>
      <p className="muted">{t("search.hint")}</p>
      <SearchForm busy={submit.busy} onSearch={search} />
      <ServerError message={submit.error} />
      {found && (
        <div data-testid="search-results">
          <h3>
            {t("search.results")}
            <span className="muted"> · {t("search.period", { from: time(new Date(found.start)), to: time(new Date(found.end)) })}</span>
          </h3>
          {found.answer.channels.map((hits) => (
            <ChannelHitsView key={hits.channel_id} hits={hits} name={channels.get(hits.channel_id)?.name ?? hits.channel_id} start={found.start} end={found.end} />
          ))}
        </div>
      )}
    </section>
  );
}
