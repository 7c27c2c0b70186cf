// The login form (OAuth2 password flow); says why a session ended and why a login was refused.

import { useState } from "react";
import type { FormEvent } from "react";
import { ApiError } from "../api/client";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import type { StringKey } from "../i18n/strings";
import { LanguageSwitch } from "../shell/LanguageSwitch";
import { useSession } from "./session";

const REFUSALS: Record<number, StringKey> = {
  401: "login.refused",
  423: "login.locked",
  429: "login.rateLimited",
};

export function LoginPage() {
  const { t } = useI18n();
  const { login, ended } = useSession();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (failure) {
      const status = failure instanceof ApiError ? failure.status : 0;
      const key = REFUSALS[status];
      setError(key ? t(key) : problemText(t, failure));
      setPassword("");
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t("app.title")}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t("login.subtitle")}</p>
        {ended === "expired" && <p className="notice" role="status">{t("login.expired")}</p>}
        {ended === "logout" && <p className="notice" role="status">{t("login.loggedOut")}</p>}
        <label>
          {t("login.username")}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          {t("login.password")}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("login.busy") : t("login.submit")}
        </button>
      </form>
    </main>
  );
}
