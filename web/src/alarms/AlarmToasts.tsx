// The live popup: an `alarm.raised` event (the server sends it only to callers whose scope holds
// the alarm's channel, or its device) shows a card in the corner of every page, announced to
// screen readers, with a link to the alarm in the alarm centre; it stays until dismissed or opened.

import { useEffect, useState } from "react";
import { useI18n } from "../i18n/I18n";
import { Link } from "../shell/router";
import { useCatalog } from "../tree/catalog";
import { alarmLink, levelWord, toastOf, toastTitle, withToast } from "./alarmWords";
import type { AlarmToast } from "./alarmWords";
import "./alarms.css";

export function AlarmToasts() {
  const { t, time } = useI18n();
  const { subscribe, channels, want } = useCatalog();
  const [toasts, setToasts] = useState<AlarmToast[]>([]);
  useEffect(() => want(toasts.map((toast) => toast.channelId ?? "")), [toasts, want]);
  useEffect(
    () =>
      subscribe((event) => {
        const toast = toastOf(event);
        if (toast) setToasts((shown) => withToast(shown, toast));
      }),
    [subscribe],
  );
  const dismiss = (id: number) => setToasts((shown) => shown.filter((toast) => toast.id !== id));
  const where = (toast: AlarmToast) => {
    const id = toast.channelId ?? toast.deviceId ?? "";
    const name = toast.channelId ? channels.get(toast.channelId)?.name : undefined;
    return name ? `${name}（${id}）` : id;
  };
  return (
    <section className="alarm-toasts" aria-label={t("alarms.toasts")} aria-live="assertive">
      {toasts.map((toast) => (
        <div key={toast.id} className={`alarm-toast level-${toast.level}`} role="alert" data-alarm={toast.id}>
          <strong>{toastTitle(t, toast)}</strong>
          <p>{t("alarms.toastWhere", { channel: where(toast), time: time(toast.at), level: levelWord(t, toast.level) })}</p>
          <div className="form-buttons">
            <Link className="button primary" href={alarmLink(toast.id)} onClick={() => dismiss(toast.id)}>
              {t("alarms.toastOpen")}
            </Link>
            <button type="button" onClick={() => dismiss(toast.id)} aria-label={t("alarms.toastDismissOf", { id: toast.id })}>
              {t("alarms.toastDismiss")}
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
