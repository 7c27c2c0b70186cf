// A fault's evidence frame: fetched with the session's token (every fetch is audited as a
// snapshot, so it is loaded when asked for, not for every row) and shown from a blob URL.

import { useEffect, useState } from "react";
import { blob } from "../api/client";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import type { Fault } from "./types";

export function Evidence({ fault, channelName, onClose }: { fault: Fault; channelName: string; onClose: () => void }) {
  const { t, time } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    let made: string | null = null;
    setUrl(null);
    setError(null);
    blob(`/faults/${fault.id}/evidence`)
      .then((image) => {
        if (cancelled) return;
        made = URL.createObjectURL(image);
        setUrl(made);
      })
      .catch((failure: unknown) => {
        if (!cancelled) setError(problemText(t, failure));
      });
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [fault.id]);
  const caption = t("faults.evidenceOf", { kind: t(`fault.${fault.kind}`), channel: channelName, time: time(fault.opened_at) });
  return (
    <figure className="evidence" data-testid="evidence">
      <figcaption>
        <span>{caption}</span>
        <button type="button" onClick={onClose}>{t("common.close")}</button>
      </figcaption>
      {error && <p className="error" role="alert">{t("error.withDetail", { detail: error })}</p>}
      {!url && !error && <p className="muted">{t("common.loading")}</p>}
      {url && <img src={url} alt={caption} />}
    </figure>
  );
}
