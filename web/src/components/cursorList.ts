// A list read a page at a time with the API's cursors (GET …?limit=&cursor=, answered with
// {items, next}): the first page on each reload, the following ones appended on demand. An answer
// that arrives after a newer reload began is dropped, so a changed filter never shows old rows.

import { useEffect, useState } from "react";
import type { Page } from "../api/types";

export type FetchPage<T> = (cursor: string | null) => Promise<Page<T>>;

export interface ListState<T> {
  items: T[];
  /** The cursor of the following page; null on the last page (or before the first). */
  next: string | null;
  loading: boolean;
  /** The failure of the last load, as thrown (an ApiError, mostly). */
  error: unknown;
}

export const EMPTY_LIST: ListState<never> = { items: [], next: null, loading: false, error: null };

/** The paging state machine, apart from React so that it can be tested on its own. */
export class CursorList<T> {
  state: ListState<T> = EMPTY_LIST;
  private fetchPage: FetchPage<T> | null = null;
  private generation = 0;

  constructor(private readonly onChange: (state: ListState<T>) => void = () => undefined) {}

  /** The first page again, from `fetchPage` when given (a new filter) or the last one used. */
  reload(fetchPage?: FetchPage<T>): Promise<void> {
    if (fetchPage) this.fetchPage = fetchPage;
    this.generation += 1;
    return this.load(null, this.generation);
  }

  /** The following page, appended; nothing when there is none or a load is under way. */
  more(): Promise<void> {
    if (!this.state.next || this.state.loading) return Promise.resolve();
    return this.load(this.state.next, this.generation);
  }

  private async load(cursor: string | null, generation: number): Promise<void> {
    if (!this.fetchPage) return;
    this.set({ ...this.state, loading: true, error: null });
    try {
      const page = await this.fetchPage(cursor);
      if (generation !== this.generation) return;
      const items = cursor ? [...this.state.items, ...page.items] : page.items;
      this.set({ items, next: page.next, loading: false, error: null });
    } catch (error) {
      if (generation !== this.generation) return;
      this.set({ ...this.state, loading: false, error });
    }
  }

  private set(state: ListState<T>): void {
    this.state = state;
    this.onChange(state);
  }
}

export type PagedList<T> = ListState<T> & { more: () => void; reload: () => void };

/** A cursor-paged list that reloads from its first page whenever one of `deps` changes. */
export function useCursorList<T>(fetchPage: FetchPage<T>, deps: readonly unknown[]): PagedList<T> {
  const [state, setState] = useState<ListState<T>>(EMPTY_LIST);
  const [list] = useState(() => new CursorList<T>(setState));
  useEffect(() => {
    void list.reload(fetchPage);
  }, deps); // fetchPage is a new closure on each render; deps say when it reads something new
  return { ...state, more: () => void list.more(), reload: () => void list.reload() };
}

/** A DataTable's rows, loading state and more button, from a paged list. */
export function pagedRows<T>(list: PagedList<T>, moreLabel: string) {
  return { rows: list.items, loading: list.loading, more: { next: list.next, onMore: list.more, label: moreLabel } };
}

/** The query of one page: the filter's parameters, the page size and the cursor when there is one. */
export function pageQuery(params: URLSearchParams, limit: number, cursor: string | null): URLSearchParams {
  const query = new URLSearchParams(params);
  query.set("limit", String(limit));
  if (cursor) query.set("cursor", cursor);
  return query;
}
