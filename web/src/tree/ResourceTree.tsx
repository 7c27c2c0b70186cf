// The resource tree (WAI-ARIA treeview): levels loaded on expand, search on the server, counts,
// live status, drag and keyboard.

import { useEffect, useMemo, useRef, useState } from "react";
import type { DragEvent, KeyboardEvent, RefObject } from "react";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { visibleRows } from "./buildTree";
import { useCatalog } from "./catalog";
import { expandable } from "./treeApi";
import type { PathStep, TreeItem } from "./treeApi";
import { useTreeData } from "./treeData";
import { useTreeSearch } from "./treeSearch";

export const CHANNEL_MIME = "application/x-vigil-channel";

interface Props {
  /** A channel was chosen (Enter, double click); the page decides what that opens. */
  onOpenChannel?: (channelId: string) => void;
  selectedChannel?: string | null;
  /** The tree's list, for a page that sends the keyboard focus into it. */
  treeRef?: RefObject<HTMLUListElement | null>;
}

/** A row as drawn: a node of the tree or a search hit, or the "more" row of a long level. */
interface Row {
  key: string;
  level: number;
  parentKey: string | null;
  item: TreeItem | null;
  path?: PathStep[];
  open: boolean;
  more?: () => void;
  loading?: boolean;
}

function Badge({ item }: { item: TreeItem }) {
  const { t } = useI18n();
  if (item.online === null) return null;
  const label = item.online ? t("status.online") : t("status.offline");
  return (
    <span className={`badge ${item.online ? "on" : "off"}`} data-status={item.online ? "online" : "offline"}>
      {label}
    </span>
  );
}

/** Loads the next page when its "more" row scrolls into view. */
function useLoadOnView(rows: Row[]) {
  const refs = useRef(new Map<string, HTMLElement>());
  useEffect(() => {
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const row = rows.find((r) => r.key === (entry.target as HTMLElement).dataset.key);
        if (row?.more && !row.loading) row.more();
      }
    });
    refs.current.forEach((el) => observer.observe(el));
    return () => observer.disconnect();
  }, [rows]);
  return refs;
}

export function ResourceTree({ onOpenChannel, selectedChannel, treeRef }: Props) {
  const { t } = useI18n();
  const { socket, subscribe } = useCatalog();
  const tree = useTreeData();
  const [query, setQuery] = useState("");
  const search = useTreeSearch(query);
  const searching = query.trim() !== "";
  const [focused, setFocused] = useState<string | null>(null);
  const [pendingFocus, setPendingFocus] = useState<string | null>(null);
  const rowRefs = useRef(new Map<string, HTMLLIElement>());

  useEffect(() => subscribe(tree.onEvent), [subscribe, tree.onEvent]);

  const rows = useMemo<Row[]>(() => {
    if (searching) {
      if (search.text !== query.trim()) return [];
      const hits: Row[] = search.hits.map((hit) => ({
        key: `hit/${hit.kind}:${hit.id}`,
        level: 1,
        parentKey: null,
        item: hit,
        path: hit.path,
        open: false,
      }));
      if (search.next) hits.push({ key: "hit/more", level: 1, parentKey: null, item: null, open: false, more: search.loadMore, loading: search.loading });
      return hits;
    }
    if (!tree.settled) return [];
    return visibleRows(tree.levels, tree.expanded).map((row) =>
      row.type === "node"
        ? { key: row.key, level: row.level, parentKey: row.parentKey, item: row.item, open: tree.expanded.has(row.key) }
        : { key: row.key, level: row.level, parentKey: row.parentKey, item: null, open: false, more: () => tree.loadMore(row.parentKey ?? ""), loading: row.loading },
    );
  }, [searching, search, query, tree]);
  const moreRefs = useLoadOnView(rows);
  const current = rows.find((r) => r.key === focused) ?? rows[0];

  useEffect(() => {
    if (!pendingFocus) return;
    const el = rowRefs.current.get(pendingFocus);
    if (!el) return;
    setPendingFocus(null);
    setFocused(pendingFocus);
    el.focus();
    el.scrollIntoView({ block: "nearest" });
  }, [rows, pendingFocus]);

  const focusRow = (row: Row | undefined) => {
    if (!row) return;
    setFocused(row.key);
    rowRefs.current.get(row.key)?.focus();
  };
  const reveal = async (row: Row) => {
    if (!row.item || !row.path) return;
    setQuery("");
    const key = await tree.reveal(row.path, row.item);
    if (key) setPendingFocus(key);
  };
  const canOpen = (row: Row) => !searching && row.item !== null && expandable(row.item);

  const onKeyDown = (event: KeyboardEvent, row: Row) => {
    const index = rows.indexOf(row);
    const handled = () => {
      event.preventDefault();
      event.stopPropagation();
    };
    switch (event.key) {
      case "ArrowDown":
        handled();
        focusRow(rows[index + 1]);
        break;
      case "ArrowUp":
        handled();
        focusRow(rows[index - 1]);
        break;
      case "Home":
        handled();
        focusRow(rows[0]);
        break;
      case "End":
        handled();
        focusRow(rows[rows.length - 1]);
        break;
      case "ArrowRight":
        handled();
        if (row.path) void reveal(row);
        else if (canOpen(row) && !row.open) tree.toggle(row.key, true);
        else if (canOpen(row)) focusRow(rows[index + 1]);
        break;
      case "ArrowLeft":
        handled();
        if (canOpen(row) && row.open) tree.toggle(row.key, false);
        else focusRow(rows.find((r) => r.key === row.parentKey));
        break;
      case "Enter":
      case " ":
        handled();
        if (row.more) row.more();
        else if (row.item?.kind === "channel") onOpenChannel?.(row.item.id);
        else if (row.path) void reveal(row);
        else if (canOpen(row)) tree.toggle(row.key, !row.open);
        break;
    }
  };

  const onClick = (row: Row) => {
    if (row.more) row.more();
    else if (row.path) void reveal(row);
    else if (canOpen(row)) tree.toggle(row.key, !row.open);
  };

  const onDragStart = (event: DragEvent, item: TreeItem) => {
    event.dataTransfer.setData(CHANNEL_MIME, item.id);
    event.dataTransfer.setData("text/plain", item.id);
    event.dataTransfer.effectAllowed = "copy";
  };

  const nameOf = (step: { kind: string; name: string }) => (step.kind === "unfiled" ? t("tree.unfiled") : step.name);
  const error = searching ? search.error : tree.rootError;
  const loading = searching ? search.loading || search.text !== query.trim() : !tree.settled;

  return (
    <nav className="tree-panel" aria-label={t("tree.title")}>
      <div className="tree-head">
        <h2>{t("tree.title")}</h2>
        <span className={`socket ${socket}`} title={t(`socket.${socket}`)} role="status">
          {t(`socket.${socket}`)}
        </span>
      </div>
      <input
        type="search"
        className="tree-search"
        placeholder={t("tree.search")}
        aria-label={t("tree.search")}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {loading && !rows.length && <p className="muted">{searching ? t("tree.searching") : t("common.loading")}</p>}
      {error != null && <p className="error" role="alert">{t("error.withDetail", { detail: problemText(t, error) })}</p>}
      {!loading && error == null && !rows.length && (
        <p className="muted">{searching ? t("tree.noMatch") : t("tree.empty")}</p>
      )}
      <ul role="tree" className="tree" aria-label={t("tree.title")} ref={treeRef}>
        {rows.map((row) => {
          const item = row.item;
          const channel = item?.kind === "channel";
          const common = {
            ref: (el: HTMLLIElement | null) => {
              if (el) rowRefs.current.set(row.key, el);
              else rowRefs.current.delete(row.key);
            },
            role: "treeitem",
            "aria-level": row.level,
            tabIndex: row.key === current?.key ? 0 : -1,
            style: { paddingInlineStart: `${(row.level - 1) * 1.1 + 0.4}rem` },
            onKeyDown: (e: KeyboardEvent) => onKeyDown(e, row),
            onFocus: () => setFocused(row.key),
            onClick: () => onClick(row),
          };
          if (!item) {
            return (
              <li
                key={row.key}
                {...common}
                ref={(el) => {
                  common.ref(el);
                  if (el) moreRefs.current.set(row.key, el);
                  else moreRefs.current.delete(row.key);
                }}
                className="tree-row more"
                data-kind="more"
                data-key={row.key}
              >
                <span className="twisty" aria-hidden="true" />
                <span className="tree-name muted">{row.loading ? t("common.loading") : t("tree.more")}</span>
              </li>
            );
          }
          return (
            <li
              key={row.key}
              {...common}
              aria-expanded={canOpen(row) ? row.open : undefined}
              aria-selected={channel && item.id === selectedChannel}
              className={`tree-row ${item.kind === "unfiled" ? "organisation" : item.kind}`}
              data-id={item.id}
              data-kind={item.kind}
              draggable={channel}
              onDragStart={channel ? (e) => onDragStart(e, item) : undefined}
              onDoubleClick={() => channel && onOpenChannel?.(item.id)}
              title={`${nameOf(item)} (${item.id})`}
            >
              <span className="twisty" aria-hidden="true">
                {canOpen(row) ? (row.open ? "▾" : "▸") : ""}
              </span>
              <span className={`icon ${item.kind}`} aria-hidden="true" />
              <span className="tree-name">
                {nameOf(item)}
                {row.path && row.path.length > 0 && (
                  <span className="tree-path" title={t("tree.pathTitle")}>
                    {row.path.map(nameOf).join(" / ")}
                  </span>
                )}
              </span>
              {!channel && (
                <span className="count" title={t("tree.countTitle")}>
                  {item.channels_online}/{item.channels}
                </span>
              )}
              <Badge item={item} />
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
