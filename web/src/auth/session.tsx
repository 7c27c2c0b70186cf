// The login session: token, who is logged in, expiry and logout.

import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, api, setToken } from "../api/client";
import type { Me, Permission, TokenResponse } from "../api/types";
import { readStartEarly } from "../tree/treeApi";

const STORAGE_KEY = "vigil.session";

/** Why the user is looking at the login page. */
export type EndReason = "logout" | "expired" | null;

interface Stored {
  token: string;
  expiresAt: string | null;
}

interface SessionValue {
  me: Me | null;
  ready: boolean;
  token: string | null;
  expiresAt: string | null;
  ended: EndReason;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  can: (permission: Permission) => boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

function loadStored(): Stored | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [stored, setStored] = useState<Stored | null>(loadStored);
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const [ended, setEnded] = useState<EndReason>(null);

  const end = useCallback((reason: EndReason) => {
    sessionStorage.removeItem(STORAGE_KEY);
    setToken(null);
    setStored(null);
    setMe(null);
    setEnded(reason);
  }, []);

  useEffect(() => {
    if (!stored) {
      setReady(true);
      return;
    }
    setToken(stored.token, () => end("expired"));
    readStartEarly(window.location.pathname);
    let cancelled = false;
    api<Me>("/auth/me")
      .then((who) => !cancelled && setMe(who))
      .catch(() => !cancelled && end("expired"))
      .finally(() => !cancelled && setReady(true));
    return () => {
      cancelled = true;
    };
  }, [stored, end]);

  useEffect(() => {
    if (!stored?.expiresAt) return;
    const left = new Date(stored.expiresAt).getTime() - Date.now();
    const timer = window.setTimeout(() => end("expired"), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => window.clearTimeout(timer);
  }, [stored, end]);

  const login = useCallback(async (username: string, password: string) => {
    const issued = await api<TokenResponse>("/auth/token", { form: { username, password } });
    const next = { token: issued.access_token, expiresAt: issued.expires_at };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setReady(false);
    setEnded(null);
    setStored(next);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api("/auth/logout", { method: "POST" });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    end("logout");
  }, [end]);

  const value = useMemo<SessionValue>(
    () => ({
      me,
      ready,
      token: stored?.token ?? null,
      expiresAt: stored?.expiresAt ?? null,
      ended,
      login,
      logout,
      can: (permission) => me?.permissions.includes(permission) ?? false,
    }),
    [me, ready, stored, ended, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
