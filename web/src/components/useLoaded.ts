// What a page shows once the server answers: loaded again whenever what it depends on changes,
// null while it loads, the reason in words when it fails. An answer that comes after the page
// asked again (or went away) is dropped, so a slow old answer never replaces a newer one.

import { useEffect, useState } from "react";
import type { DependencyList } from "react";
import { useI18n } from "../i18n/I18n";
import type { Translate } from "../i18n/I18n";
import { problemText } from "../i18n/problems";

/** Start `load`; hand on its value or its failure in words unless cancelled first. */
export function startLoad<T>(
  load: () => Promise<T>,
  t: Translate,
  onValue: (value: T) => void,
  onError: (text: string) => void,
): () => void {
  let cancelled = false;
  load()
    .then((value) => {
      if (!cancelled) onValue(value);
    })
    .catch((failure: unknown) => {
      if (!cancelled) onError(problemText(t, failure));
    });
  return () => {
    cancelled = true;
  };
}

/**
 * `load`'s value, loaded again when `deps` change (they stand for what `load` reads); `load`
 * null: nothing to load, and what was shown stays. `setError` shows another failure in its place.
 */
export function useLoaded<T>(load: (() => Promise<T>) | null, deps: DependencyList) {
  const { t } = useI18n();
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!load) return;
    setValue(null);
    setError(null);
    return startLoad(load, t, setValue, setError);
  }, deps);
  return { value, error, setError };
}
