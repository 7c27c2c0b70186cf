// The tree's state: levels loaded on demand (the first view on open, children on expand, pages on
// "more"), revealing a search hit, and loaded levels read again when bus
// events say the catalog or a status changed.

import { useCallback, useEffect, useRef, useState } from "react";
import type { BusEvent } from "./eventSocket";
import { ROOT, keyOf, refOf } from "./buildTree";
import type { Level } from "./buildTree";
import { fetchLevel, fetchStart } from "./treeApi";
import type { PathStep, TreeItem } from "./treeApi";

/** Pages read to find a node being revealed in a long level. */
const REVEAL_PAGES = 25;
/** Loaded levels are read again at most this often while events arrive. */
const REFRESH_MS = 1500;
const REFRESH_PAGE = 500;

function parentRef(key: string) {
  return key === ROOT ? null : refOf(key);
}

export interface TreeData {
  levels: Map<string, Level>;
  expanded: Set<string>;
  /** The first view (roots and the levels opened at first) is loaded. */
  settled: boolean;
  rootError: unknown;
  toggle: (key: string, open: boolean) => void;
  loadMore: (parentKey: string) => void;
  /** Expand the path to a node and load the levels on the way; resolves to its row key. */
  reveal: (path: PathStep[], target: PathStep) => Promise<string | null>;
  onEvent: (event: BusEvent) => void;
}

export function useTreeData(): TreeData {
  const levelsRef = useRef(new Map<string, Level>());
  const [levels, setLevels] = useState(levelsRef.current);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const alive = useRef(true);

  const commit = useCallback((key: string, change: (level: Level) => Level) => {
    const next = new Map(levelsRef.current);
    next.set(key, change(next.get(key) ?? { items: [], next: null, loading: false, error: null }));
    levelsRef.current = next;
    if (alive.current) setLevels(next);
  }, []);

  /** Read the next page of a level (its first when none is loaded); resolves to the level. */
  const readPage = useCallback(
    async (key: string): Promise<Level | undefined> => {
      const current = levelsRef.current.get(key);
      if (current?.loading || (current && !current.next && !current.error)) return current;
      commit(key, (level) => ({ ...level, loading: true, error: null }));
      try {
        const page = await fetchLevel(parentRef(key), current?.next ?? null);
        commit(key, (level) => ({ items: [...level.items, ...page.items], next: page.next, loading: false, error: null }));
      } catch (failure) {
        commit(key, (level) => ({ ...level, loading: false, error: failure }));
      }
      return levelsRef.current.get(key);
    },
    [commit],
  );

  const open = useCallback((key: string) => {
    setExpanded((prev) => (prev.has(key) ? prev : new Set(prev).add(key)));
  }, []);

  // The first view appears whole: the roots with the small levels opened below them (one answer).
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    alive.current = true;
    fetchStart()
      .then((start) => {
        const loaded = new Map<string, Level>();
        const opened = new Set<string>();
        for (const level of start.levels) {
          const key = level.path.map((step) => keyOf(ROOT, step)).join("");
          loaded.set(key, { items: level.items, next: level.next, loading: false, error: null });
          if (key !== ROOT) opened.add(key);
        }
        levelsRef.current = loaded;
        if (!alive.current) return;
        setLevels(loaded);
        setExpanded(opened);
      })
      .catch((failure: unknown) => commit(ROOT, (level) => ({ ...level, error: failure })))
      .finally(() => alive.current && setSettled(true));
    return () => {
      alive.current = false;
    };
  }, [commit]);

  const toggle = useCallback(
    (key: string, isOpen: boolean) => {
      setExpanded((prev) => {
        const next = new Set(prev);
        if (isOpen) next.add(key);
        else next.delete(key);
        return next;
      });
      const level = levelsRef.current.get(key);
      if (isOpen && (!level || level.error)) void readPage(key);
    },
    [readPage],
  );

  const loadMore = useCallback((key: string) => void readPage(key), [readPage]);

  const reveal = useCallback(
    async (path: PathStep[], target: PathStep) => {
      let parent = ROOT;
      for (const step of [...path, target]) {
        const key = keyOf(parent, step);
        let level = levelsRef.current.get(parent) ?? (await readPage(parent));
        for (let page = 0; level && !level.items.some((i) => keyOf(parent, i) === key); page += 1) {
          if (!level.next || page >= REVEAL_PAGES) return null;
          level = await readPage(parent);
        }
        if (step !== target) open(key);
        parent = key;
      }
      return parent;
    },
    [readPage, open],
  );

  // Read every loaded level again (as much of it as was loaded): names, status and counts.
  const refreshAll = useCallback(async () => {
    for (const [key, loaded] of levelsRef.current) {
      if (loaded.loading) continue;
      const items: TreeItem[] = [];
      let cursor: string | null = null;
      try {
        do {
          const page = await fetchLevel(parentRef(key), cursor, REFRESH_PAGE);
          items.push(...page.items);
          cursor = page.next;
        } while (cursor && items.length < loaded.items.length);
      } catch {
        continue; // gone or out of reach now: keep what is shown, the next event tries again
      }
      commit(key, () => ({ items, next: cursor, loading: false, error: null }));
    }
  }, [commit]);

  const timer = useRef<number | undefined>(undefined);
  const last = useRef(0);
  const onEvent = useCallback(
    (event: BusEvent) => {
      const relevant =
        event.subject.startsWith("catalog.") || typeof event.channel_id === "string" || typeof event.device_id === "string";
      if (!relevant || timer.current !== undefined) return;
      const wait = Math.max(200, last.current + REFRESH_MS - Date.now());
      timer.current = window.setTimeout(() => {
        timer.current = undefined;
        last.current = Date.now();
        void refreshAll();
      }, wait);
    },
    [refreshAll],
  );
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const rootError = levels.get(ROOT)?.error ?? null;
  return { levels, expanded, settled, rootError, toggle, loadMore, reveal, onEvent };
}
