// Submitting a management form: busy state and the server's problem+json detail on failure.

import { useState } from "react";
import { ApiError } from "../api/client";
import { useI18n } from "../i18n/I18n";

export function useSubmit() {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      const detail = failure instanceof ApiError ? failure.detail : String(failure);
      setError(t("error.server", { detail }));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run, clear: () => setError(null) };
}
