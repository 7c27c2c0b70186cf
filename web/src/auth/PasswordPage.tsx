// Changing one's own password: the page states the server's rule, and the server's refusal
// is shown in words (a wrong current password leaves the session as it is).

import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { PasswordRule } from "./PasswordRule";

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
      setMessage({ ok: false, text: problemText(t, error) });
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
        <PasswordRule />
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
