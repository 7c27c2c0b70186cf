// The live wall: 1/4/9/16 cells, channels dragged in from the tree or placed by keyboard.
//
// Keyboard: Tab reaches the wall; arrow keys move between cells; Enter or Space on a cell makes it
// the active one and moves the focus into the tree to choose its channel; Enter on a tree channel
// puts it into the active cell (then the next empty one becomes active); Delete empties a cell.
// The wall is one Tab stop, the active cell; Tab goes on into that cell's player buttons only.

import { useEffect, useRef, useState } from "react";
import type { DragEvent, KeyboardEvent } from "react";
import { useI18n } from "../i18n/I18n";
import { Player } from "../player/Player";
import { CHANNEL_MIME, ResourceTree } from "../tree/ResourceTree";
import { useChannels } from "../tree/catalog";
import { PtzPanel } from "./PtzPanel";
import "./wall.css";

export const LAYOUTS = [1, 4, 9, 16] as const;
type Layout = (typeof LAYOUTS)[number];
const STORAGE_KEY = "vigil.wall";
const MAX_CELLS = 16;

interface WallState {
  layout: Layout;
  cells: (string | null)[];
}

function loadWall(): WallState {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "") as WallState;
    if (LAYOUTS.includes(saved.layout) && Array.isArray(saved.cells)) {
      return { layout: saved.layout, cells: [...saved.cells, ...Array(MAX_CELLS)].slice(0, MAX_CELLS).map((c) => c ?? null) };
    }
  } catch {
    // nothing saved yet
  }
  return { layout: 4, cells: Array(MAX_CELLS).fill(null) };
}

export function LiveWall() {
  const { t } = useI18n();
  const [wall, setWall] = useState<WallState>(loadWall);
  // The cells' channels are looked up by ID (for their names): the tree loads only levels.
  const { channels } = useChannels(wall.cells);
  const [active, setActive] = useState(0);
  const cellRefs = useRef<(HTMLDivElement | null)[]>([]);
  const treeRef = useRef<HTMLUListElement>(null);
  const side = Math.sqrt(wall.layout);

  useEffect(() => localStorage.setItem(STORAGE_KEY, JSON.stringify(wall)), [wall]);

  const place = (index: number, channelId: string | null) =>
    setWall((prev) => {
      const cells = [...prev.cells];
      cells[index] = channelId;
      return { ...prev, cells };
    });

  const openFromTree = (channelId: string) => {
    place(active, channelId);
    const cells = wall.cells.slice(0, wall.layout);
    const nextEmpty = cells.findIndex((c, i) => c === null && i !== active);
    if (nextEmpty >= 0) setActive(nextEmpty);
  };

  const setLayout = (layout: Layout) => {
    setWall((prev) => ({ ...prev, layout }));
    if (active >= layout) setActive(0);
  };

  const onDrop = (event: DragEvent, index: number) => {
    const id = event.dataTransfer.getData(CHANNEL_MIME);
    if (!id) return;
    event.preventDefault();
    place(index, id);
    setActive(index);
  };

  const onCellKey = (event: KeyboardEvent, index: number) => {
    // Keys pressed on the player's own buttons are theirs.
    if (event.target !== event.currentTarget) return;
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -side, ArrowDown: side };
    if (event.key in moves) {
      event.preventDefault();
      const next = index + moves[event.key];
      if (next >= 0 && next < wall.layout) {
        setActive(next);
        cellRefs.current[next]?.focus();
      }
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      place(index, null);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      setActive(index);
      treeRef.current?.querySelector<HTMLElement>('[role="treeitem"][tabindex="0"]')?.focus();
    }
  };

  const activeChannel = channels.get(wall.cells[active] ?? "");

  return (
    <div className="with-tree">
      <ResourceTree onOpenChannel={openFromTree} selectedChannel={wall.cells[active]} treeRef={treeRef} />
      <section className="page wall-page" aria-labelledby="wall-title">
        <div className="toolbar">
          <h2 id="wall-title">{t("wall.title")}</h2>
          <div role="group" aria-label={t("wall.layout")} className="segmented">
            {LAYOUTS.map((layout) => (
              <button
                key={layout}
                type="button"
                aria-pressed={wall.layout === layout}
                onClick={() => setLayout(layout)}
                data-layout={layout}
              >
                {t("wall.cells", { n: layout })}
              </button>
            ))}
          </div>
          <button type="button" onClick={() => setWall((prev) => ({ ...prev, cells: Array(MAX_CELLS).fill(null) }))}>
            {t("wall.clear")}
          </button>
        </div>
        <p className="muted hint">{t("wall.hint")}</p>
        <div className="wall-body">
          <div
            className="wall"
            style={{ gridTemplateColumns: `repeat(${side}, 1fr)`, gridTemplateRows: `repeat(${side}, 1fr)` }}
            aria-label={t("wall.title")}
          >
            {wall.cells.slice(0, wall.layout).map((channelId, index) => {
              const channel = channelId ? channels.get(channelId) : undefined;
              return (
                <div
                  key={index}
                  ref={(el) => {
                    cellRefs.current[index] = el;
                  }}
                  className={`cell ${index === active ? "active" : ""}`}
                  tabIndex={index === active ? 0 : -1}
                  role="group"
                  aria-label={t("wall.cell", { n: index + 1, name: channel?.name ?? t("wall.empty") })}
                  data-cell={index}
                  onFocus={(e) => e.target === e.currentTarget && setActive(index)}
                  onClick={() => setActive(index)}
                  onKeyDown={(e) => onCellKey(e, index)}
                  onDragOver={(e) => {
                    if (e.dataTransfer.types.includes(CHANNEL_MIME)) e.preventDefault();
                  }}
                  onDrop={(e) => onDrop(e, index)}
                >
                  {channelId ? (
                    <Player
                      key={channelId}
                      channelId={channelId}
                      title={channel?.name ?? channelId}
                      tabbable={index === active}
                    />
                  ) : (
                    <span className="cell-empty">{t("wall.dropHere")}</span>
                  )}
                </div>
              );
            })}
          </div>
          {activeChannel && <PtzPanel channel={activeChannel} />}
        </div>
      </section>
    </div>
  );
}
