// The resource tree (WAI-ARIA treeview): search, counts, live badges, drag and keyboard.

import { useEffect, useMemo, useRef, useState } from "react";
import type { DragEvent, KeyboardEvent, RefObject } from "react";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { buildTree, filterTree, visibleRows } from "./buildTree";
import type { TreeNode, VisibleRow } from "./buildTree";
import { useCatalog } from "./catalog";
import { groupRoots } from "./virtualGroups";

export const CHANNEL_MIME = "application/x-vigil-channel";

interface Props {
  /** A channel was chosen (Enter, double click); the page decides what that opens. */
  onOpenChannel?: (channelId: string) => void;
  selectedChannel?: string | null;
  /** The tree's list, for a page that sends the keyboard focus into it. */
  treeRef?: RefObject<HTMLUListElement | null>;
}

function Badge({ tree }: { tree: TreeNode }) {
  const { t } = useI18n();
  if (tree.kind === "organisation" || tree.kind === "group") return null;
  const label = tree.online ? t("status.online") : t("status.offline");
  return (
    <span className={`badge ${tree.online ? "on" : "off"}`} data-status={tree.online ? "online" : "offline"}>
      {label}
    </span>
  );
}

export function ResourceTree({ onOpenChannel, selectedChannel, treeRef }: Props) {
  const { t } = useI18n();
  const { organisations, devices, channels, groups, loading, error, socket } = useCatalog();
  const [query, setQuery] = useState("");
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [focused, setFocused] = useState<string | null>(null);
  const rowRefs = useRef(new Map<string, HTMLLIElement>());

  const roots = useMemo(
    () =>
      buildTree(
        organisations.values(),
        devices.values(),
        channels.values(),
        t("tree.unfiled"),
        groupRoots(groups, channels),
      ),
    [organisations, devices, channels, groups, t],
  );
  // Open the first two levels once, so the demo district shows its cameras at a glance.
  useEffect(() => {
    if (expanded.size || !roots.length) return;
    const open = new Set<string>();
    const walk = (list: TreeNode[], depth: number) =>
      list.forEach((n) => {
        if (depth < 4) open.add(n.key);
        walk(n.children, depth + 1);
      });
    walk(roots, 0);
    setExpanded(open);
  }, [roots, expanded.size]);

  const filtered = useMemo(() => filterTree(roots, query), [roots, query]);
  const rows = useMemo(() => visibleRows(filtered, expanded, query.trim() !== ""), [filtered, expanded, query]);
  const current = rows.find((r) => r.node.key === focused) ?? rows[0];

  const focusRow = (row: VisibleRow | undefined) => {
    if (!row) return;
    setFocused(row.node.key);
    rowRefs.current.get(row.node.key)?.focus();
  };
  const toggle = (key: string, open: boolean) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (open) next.add(key);
      else next.delete(key);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent, row: VisibleRow) => {
    const index = rows.indexOf(row);
    const isOpen = query.trim() !== "" || expanded.has(row.node.key);
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
        if (row.node.children.length && !isOpen) toggle(row.node.key, true);
        else if (row.node.children.length) focusRow(rows[index + 1]);
        break;
      case "ArrowLeft":
        handled();
        if (row.node.children.length && isOpen) toggle(row.node.key, false);
        else focusRow(rows.find((r) => r.node.key === row.parentKey));
        break;
      case "Enter":
      case " ":
        handled();
        if (row.node.kind === "channel") onOpenChannel?.(row.node.id);
        else toggle(row.node.key, !isOpen);
        break;
    }
  };

  const onDragStart = (event: DragEvent, tree: TreeNode) => {
    event.dataTransfer.setData(CHANNEL_MIME, tree.id);
    event.dataTransfer.setData("text/plain", tree.id);
    event.dataTransfer.effectAllowed = "copy";
  };

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
      {loading && <p className="muted">{t("common.loading")}</p>}
      {error != null && <p className="error" role="alert">{t("error.withDetail", { detail: problemText(t, error) })}</p>}
      {!loading && !rows.length && <p className="muted">{t("tree.empty")}</p>}
      <ul role="tree" className="tree" aria-label={t("tree.title")} ref={treeRef}>
        {rows.map((row) => {
          const tree = row.node;
          const isOpen = query.trim() !== "" || expanded.has(tree.key);
          const channel = tree.kind === "channel";
          return (
            <li
              key={tree.key}
              ref={(el) => {
                if (el) rowRefs.current.set(tree.key, el);
                else rowRefs.current.delete(tree.key);
              }}
              role="treeitem"
              aria-level={row.level}
              aria-expanded={tree.children.length ? isOpen : undefined}
              aria-selected={channel && tree.id === selectedChannel}
              tabIndex={tree.key === current?.node.key ? 0 : -1}
              className={`tree-row ${tree.kind}`}
              style={{ paddingInlineStart: `${(row.level - 1) * 1.1 + 0.4}rem` }}
              data-id={tree.id}
              data-kind={tree.kind}
              draggable={channel}
              onDragStart={channel ? (e) => onDragStart(e, tree) : undefined}
              onKeyDown={(e) => onKeyDown(e, row)}
              onFocus={() => setFocused(tree.key)}
              onClick={() => (tree.children.length ? toggle(tree.key, !isOpen) : undefined)}
              onDoubleClick={() => channel && onOpenChannel?.(tree.id)}
              title={`${tree.name} (${tree.id})`}
            >
              <span className="twisty" aria-hidden="true">
                {tree.children.length ? (isOpen ? "▾" : "▸") : ""}
              </span>
              <span className={`icon ${tree.kind}`} aria-hidden="true" />
              <span className="tree-name">{tree.name}</span>
              {!channel && (
                <span className="count" title={t("tree.countTitle")}>
                  {tree.channelsOnline}/{tree.channels}
                </span>
              )}
              <Badge tree={tree} />
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
