// Search through the server as the reader types (debounced), a page at a time.

import { useCallback, useEffect, useRef, useState } from "react";
import { searchTree } from "./treeApi";
import type { SearchHit } from "./treeApi";

const DEBOUNCE_MS = 250;

export interface TreeSearchState {
  /** The text searched for (trimmed); "" when not searching. */
  text: string;
  hits: SearchHit[];
  next: string | null;
  loading: boolean;
  error: unknown;
  loadMore: () => void;
}

export function useTreeSearch(query: string): TreeSearchState {
  const text = query.trim();
  const [state, setState] = useState({ text: "", hits: [] as SearchHit[], next: null as string | null, loading: false, error: null as unknown });
  const sequence = useRef(0);

  const run = useCallback((searched: string, cursor: string | null) => {
    const mine = ++sequence.current;
    setState((prev) => ({ ...prev, text: searched, loading: true, error: null, ...(cursor ? {} : { hits: [], next: null }) }));
    searchTree(searched, cursor).then(
      (page) => {
        if (mine !== sequence.current) return;
        setState((prev) => ({ text: searched, hits: cursor ? [...prev.hits, ...page.items] : page.items, next: page.next, loading: false, error: null }));
      },
      (failure: unknown) => {
        if (mine === sequence.current) setState((prev) => ({ ...prev, loading: false, error: failure }));
      },
    );
  }, []);

  useEffect(() => {
    if (!text) {
      sequence.current += 1;
      setState({ text: "", hits: [], next: null, loading: false, error: null });
      return;
    }
    const timer = window.setTimeout(() => run(text, null), DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, run]);

  const loadMore = useCallback(() => {
    if (state.next && !state.loading) run(state.text, state.next);
  }, [state.next, state.loading, state.text, run]);

  return { ...state, loadMore };
}
