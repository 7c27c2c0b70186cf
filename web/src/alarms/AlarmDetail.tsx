// One alarm in full: where and when, what raised it, its snapshot, its clip in the playback page,
// its handling so far; and the operator's steps, acknowledge and close, each with a note. A user
// without alarms:handle is told so, and the steps are not offered.

import { useEffect, useId, useState } from "react";
import { api, blob } from "../api/client";
import { useSession } from "../auth/session";
import { ConfirmButton } from "../components/ConfirmButton";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { Link } from "../shell/router";
import { canStep, clipLink, kindWord, labelWord, levelWord, sourceWord, stateWord } from "./alarmWords";
import type { Alarm } from "./types";

interface Props {
  alarm: Alarm;
  channelName: string | null;
  /** The alarm after a step (the server's answer). */
  onChanged: (alarm: Alarm) => void;
  onClose: () => void;
}

export function AlarmDetail({ alarm, channelName, onChanged, onClose }: Props) {
  const { t, time } = useI18n();
  const { can } = useSession();
  const titleId = useId();
  const noteId = useId();
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setNote("");
    setMessage(null);
  }, [alarm.id]);

  const step = async (action: "acknowledge" | "close") => {
    setBusy(true);
    try {
      const moved = await api<Alarm>(`/alarms/${alarm.id}/${action}`, { json: { note: note.trim() || null } });
      setNote("");
      setMessage({ text: t(action === "acknowledge" ? "alarms.acknowledged" : "alarms.closed", { id: alarm.id }), error: false });
      onChanged(moved);
    } catch (failure) {
      setMessage({ text: problemText(t, failure), error: true });
    } finally {
      setBusy(false);
    }
  };
  const clip = can("video:playback") ? clipLink(alarm) : null;
  const handles = can("alarms:handle");
  const label = typeof alarm.detail.label === "string" ? alarm.detail.label : null;
  const rule = typeof alarm.detail.rule_name === "string" && alarm.detail.rule_name ? alarm.detail.rule_name : null;

  return (
    <section className="alarm-detail" aria-labelledby={titleId} data-testid="alarm-detail" data-alarm={alarm.id} data-state={alarm.state}>
      <div className="toolbar">
        <h3 id={titleId}>{t("alarms.detailOf", { id: alarm.id })}</h3>
        <button type="button" onClick={onClose}>{t("alarms.closePanel")}</button>
      </div>
      <dl className="alarm-facts">
        <dt>{t("alarms.at")}</dt>
        <dd><time dateTime={alarm.at}>{time(alarm.at)}</time></dd>
        <dt>{t("alarms.channel")}</dt>
        <dd>{alarm.channel_id ? `${channelName ?? alarm.channel_id}（${alarm.channel_id}）` : "—"}</dd>
        <dt>{t("alarms.device")}</dt>
        <dd className="mono">{alarm.device_id ?? "—"}</dd>
        <dt>{t("alarms.source")}</dt>
        <dd>{sourceWord(t, alarm.source)}</dd>
        <dt>{t("alarms.kind")}</dt>
        <dd>{kindWord(t, alarm.kind)}</dd>
        <dt>{t("alarms.level")}</dt>
        <dd>{levelWord(t, alarm.level)}</dd>
        <dt>{t("alarms.state")}</dt>
        <dd data-testid="alarm-state">{stateWord(t, alarm.state)}</dd>
        {alarm.source === "device" && alarm.description && (
          <>
            <dt>{t("alarms.description")}</dt>
            <dd translate="no">{alarm.description}</dd>
          </>
        )}
        {rule && (
          <>
            <dt>{t("alarms.rule")}</dt>
            <dd translate="no" data-testid="alarm-rule">{rule}</dd>
          </>
        )}
        {label && (
          <>
            <dt>{t("alarms.object")}</dt>
            {labelWord(t, label) ? <dd>{labelWord(t, label)}</dd> : <dd translate="no">{label}</dd>}
          </>
        )}
        <Handled who={alarm.acknowledged_by} at={alarm.acknowledged_at} note={alarm.acknowledged_note} label={t("alarms.acknowledgedBy")} />
        <Handled who={alarm.closed_by} at={alarm.closed_at} note={alarm.closed_note} label={t("alarms.closedBy")} />
      </dl>
      <h4>{t("alarms.snapshot")}</h4>
      {alarm.snapshot_path && can("video:live") ? <Snapshot alarm={alarm} /> : <p className="muted">{t("alarms.noSnapshot")}</p>}
      <h4>{t("alarms.clip")}</h4>
      {clip && alarm.clip_start && alarm.clip_end ? (
        <p>
          <Link href={clip}>{t("alarms.openClip", { from: time(alarm.clip_start), to: time(alarm.clip_end) })}</Link>
        </p>
      ) : (
        <p className="muted">{t("alarms.noClip")}</p>
      )}
      {!handles && <p className="notice" role="note">{t("alarms.cannotHandle")}</p>}
      {handles && alarm.state !== "closed" && (
        <form className="form alarm-steps" aria-label={t("alarms.actions")} onSubmit={(e) => e.preventDefault()}>
          <label htmlFor={noteId}>{t("alarms.note")}</label>
          <textarea id={noteId} name="note" maxLength={500} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          <div className="form-buttons">
            <button type="button" className="primary" disabled={busy || !canStep(alarm.state, "acknowledge")} onClick={() => void step("acknowledge")}>
              {t("alarms.acknowledge")}
            </button>
            <ConfirmButton question={t("alarms.closeQuestion", { id: alarm.id })} disabled={busy} onConfirm={() => step("close")}>
              {t("alarms.close")}
            </ConfirmButton>
          </div>
        </form>
      )}
      {message && (
        <p className={message.error ? "error" : "success"} role={message.error ? "alert" : "status"}>
          {message.text}
        </p>
      )}
    </section>
  );
}

/** Who took a step and when, and their note. */
function Handled({ who, at, note, label }: { who: string | null; at: string | null; note: string | null; label: string }) {
  const { t, time } = useI18n();
  if (!who || !at) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <span translate="no">{who}</span> · <time dateTime={at}>{time(at)}</time>
      </dd>
      {note && (
        <>
          <dt>{t("alarms.note")}</dt>
          <dd translate="no" data-testid="alarm-note">{note}</dd>
        </>
      )}
    </>
  );
}

/** The alarm's snapshot, fetched with the session's token (each fetch is audited). */
function Snapshot({ alarm }: { alarm: Alarm }) {
  const { t, time } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    let alive = true;
    setUrl(null);
    setError(null);
    blob(`/alarms/${alarm.id}/snapshot`)
      .then((picture) => {
        made = URL.createObjectURL(picture);
        if (alive) setUrl(made);
      })
      .catch((failure: unknown) => alive && setError(problemText(t, failure)));
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [alarm.id]);
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!url) return <p className="muted">{t("common.loading")}</p>;
  return <img className="alarm-snapshot" src={url} alt={t("alarms.snapshotAlt", { id: alarm.id, kind: kindWord(t, alarm.kind), time: time(alarm.at) })} />;
}
