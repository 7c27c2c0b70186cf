// Alarm linkage on the live wall: an `alarm.wall` event (a rule's `wall` action; the server sends
// it only to callers whose scope holds the channel) puts the alarm's channel into a cell of an open
// wall and marks that cell with the alarm. Where it goes: the cell already showing the channel; else
// the first empty cell of the layout; else the cell placed by linkage the longest ago; else the last
// cell (an operator's own choices are replaced only when every cell is one of them). An event naming
// a wall reaches only the wall given that name; one naming none reaches every wall.

import type { BusEvent } from "../tree/eventSocket";

export interface WallAlarm {
  alarmId: number;
  channelId: string;
  wall: string | null;
  kind: string;
  level: number;
  at: string;
}

/** A cell that linkage filled: which alarm, and in what order (for "the oldest"). */
export interface AlarmMark extends WallAlarm {
  order: number;
}

export function wallAlarmOf(event: BusEvent): WallAlarm | null {
  if (event.subject !== "alarm.wall") return null;
  const { alarm_id: alarmId, channel_id: channelId, wall, kind, level, alarm_at: at } = event;
  if (typeof alarmId !== "number" || typeof channelId !== "string" || typeof kind !== "string") return null;
  if (typeof level !== "number" || typeof at !== "string") return null;
  return { alarmId, channelId, wall: typeof wall === "string" ? wall : null, kind, level, at };
}

/** Whether a wall called `name` (empty: unnamed) shows the alarm. */
export function forThisWall(alarm: WallAlarm, name: string): boolean {
  return alarm.wall === null || alarm.wall === name.trim();
}

/** The cell index (below `layout`) the alarm's channel goes into. */
export function alarmCell(cells: (string | null)[], layout: number, marks: Map<number, AlarmMark>, channelId: string): number {
  const shown = cells.slice(0, layout);
  const already = shown.indexOf(channelId);
  if (already >= 0) return already;
  const empty = shown.indexOf(null);
  if (empty >= 0) return empty;
  let oldest: AlarmMark | null = null;
  let oldestCell = -1;
  for (const [cell, mark] of marks) {
    if (cell < layout && (oldest === null || mark.order < oldest.order)) {
      oldest = mark;
      oldestCell = cell;
    }
  }
  return oldestCell >= 0 ? oldestCell : layout - 1;
}
