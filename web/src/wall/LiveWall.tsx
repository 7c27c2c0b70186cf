// The live wall: 1/4/9/16 cells, channels dragged in from the tree or placed by keyboard.
//
// Keyboard: Tab reaches the wall; arrow keys move between cells; Enter or Space on a cell makes it
// the active one and moves the focus into the tree to choose its channel; Enter on a tree channel
// puts it into the active cell (then the next empty one becomes active); Delete empties a cell.
// The wall is one Tab stop, the active cell; Tab goes on into that cell's player buttons only.
//
// Alarm linkage: an `alarm.wall` event puts the alarm's channel into a cell marked with the alarm
// (see alarmCells.ts for which cell); the wall's name, if given, picks the rules' events it takes.
// An operator's own placing in a marked cell removes the mark.

import { useEffect, useRef, useState } from "react";
import type { DragEvent, KeyboardEvent } from "react";
import { useI18n } from "../i18n/I18n";
import { Player } from "../player/Player";
import { CHANNEL_MIME, ResourceTree } from "../tree/ResourceTree";
import { useCatalog, useChannels } from "../tree/catalog";
import { kindWord } from "../alarms/alarmWords";
import { alarmCell, forThisWall, wallAlarmOf } from "./alarmCells";
import type { AlarmMark } from "./alarmCells";
import { PtzPanel } from "./PtzPanel";
import "./wall.css";

export const LAYOUTS = [1, 4, 9, 16] as const;
type Layout = (typeof LAYOUTS)[number];
const STORAGE_KEY = "vigil.wall";
const NAME_KEY = "vigil.wall.name";
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
  const { subscribe } = useCatalog();
  const [name, setName] = useState(() => localStorage.getItem(NAME_KEY) ?? "");
  const [marks, setMarks] = useState<Map<number, AlarmMark>>(() => new Map());
  // The latest wall, name and marks for the event handler, which is subscribed once.
  const latest = useRef({ wall, name, marks, order: 0 });
  latest.current = { ...latest.current, wall, name, marks };

  useEffect(() => localStorage.setItem(STORAGE_KEY, JSON.stringify(wall)), [wall]);
  useEffect(() => localStorage.setItem(NAME_KEY, name), [name]);

  const place = (index: number, channelId: string | null) =>
    setWall((prev) => {
      const cells = [...prev.cells];
      cells[index] = channelId;
      return { ...prev, cells };
    });

  const unmark = (index: number) =>
    setMarks((prev) => {
      if (!prev.has(index)) return prev;
      const next = new Map(prev);
      next.delete(index);
      return next;
    });

  // Placed by the operator: the cell is theirs again.
  const placeByHand = (index: number, channelId: string | null) => {
    place(index, channelId);
    unmark(index);
  };

  useEffect(
    () =>
      subscribe((event) => {
        const alarm = wallAlarmOf(event);
        const now = latest.current;
        if (!alarm || !forThisWall(alarm, now.name)) return;
        const index = alarmCell(now.wall.cells, now.wall.layout, now.marks, alarm.channelId);
        now.order += 1;
        const next = new Map(now.marks).set(index, { ...alarm, order: now.order });
        const cells = [...now.wall.cells];
        cells[index] = alarm.channelId; // seen by an event that comes before the next render
        latest.current = { ...now, wall: { ...now.wall, cells }, marks: next };
        setMarks(next);
        place(index, alarm.channelId);
      }),
    [subscribe],
  );

  const openFromTree = (channelId: string) => {
    placeByHand(active, channelId);
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
    placeByHand(index, id);
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
      placeByHand(index, null);
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
          <button
            type="button"
            onClick={() => {
              setWall((prev) => ({ ...prev, cells: Array(MAX_CELLS).fill(null) }));
              setMarks(new Map());
            }}
          >
            {t("wall.clear")}
          </button>
          <label className="wall-name" title={t("wall.nameHint")}>
            {t("wall.name")}
            <input value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
          </label>
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
              const mark = marks.get(index);
              return (
                <div
                  key={index}
                  ref={(el) => {
                    cellRefs.current[index] = el;
                  }}
                  className={`cell ${index === active ? "active" : ""} ${mark ? `alarm-linked level-${mark.level}` : ""}`}
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
                  {mark && (
                    <span className="cell-alarm" role="status" data-alarm={mark.alarmId}>
                      {t("wall.alarmMark", { kind: kindWord(t, mark.kind) })}
                    </span>
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
