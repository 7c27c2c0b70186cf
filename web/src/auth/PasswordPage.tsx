// Changing one's own password: the server's policy decides, its message is shown as given.

import { useState } from "react";
import type { FormEvent } from "react";
import { ApiError, api } from "../api/client";
import { useI18n } from "../i18n/I18n";

export function PasswordPage() {
  const { t } = useI18n();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeat) {
      setMessage({ ok: false, text: t("password.mismatch") });
      return;
    }
    try {
      await api("/auth/password", { json: { current_password: current, new_password: next } });
      setMessage({ ok: true, text: t("password.changed") });
      setCurrent("");
      setNext("");
      setRepeat("");
    } catch (error) {
      const detail = error instanceof ApiError ? error.detail : String(error);
      setMessage({ ok: false, text: t("error.withDetail", { detail }) });
    }
  };

  return (
    <section className="page narrow">
      <h2>{t("password.title")}</h2>
      <form className="form" onSubmit={submit}>
        <label>
          {t("password.current")}
          <input type="password" autoComplete="current-password" value={current}
            onChange={(e) => setCurrent(e.target.value)} required />
        </label>
        <label>
          {t("password.new")}
          <input type="password" autoComplete="new-password" value={next}
            onChange={(e) => setNext(e.target.value)} required />
        </label>
        <label>
          {t("password.repeat")}
          <input type="password" autoComplete="new-password" value={repeat}
            onChange={(e) => setRepeat(e.target.value)} required />
        </label>
        <p className="muted">{t("password.hint")}</p>
        {message && (
          <p className={message.ok ? "success" : "error"} role={message.ok ? "status" : "alert"}>
            {message.text}
          </p>
        )}
        <button type="submit" className="primary">{t("password.submit")}</button>
      </form>
    </section>
  );
}
