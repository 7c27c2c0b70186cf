// Submitting a form or running an action: busy state and, on failure, the server's reason in words.

import { useState } from "react";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";

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
      setError(problemText(t, failure));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run, clear: () => setError(null) };
}
