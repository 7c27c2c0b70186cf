// What the console's drawing areas share (the analytics rules' zones and lines, the privacy
// masks' outlines): an overlay laid over a picture whose size is measured, where a click adds the
// normalised point under the pointer and the keyboard draws too — the arrow keys move a cursor
// (Shift: ten times as far), Space adds a point at it, Enter closes, Escape cancels — and the
// marks of a drawing under way: its open outline with its corners, and the keyboard's cursor.
// What a point does, when an outline closes and how finished shapes look stay with each editor.

import { useEffect, useRef, useState } from "react";
import type { KeyboardEvent, MouseEvent } from "react";
import { moved, pointsAttribute, toNormalised } from "../rules/geometry";
import type { Point } from "../rules/geometry";

/** How far an arrow key moves the cursor, as a fraction of the picture. */
const STEP = 0.01;

/** The drawing's side of the keyboard and the pointer. */
export interface DrawingActions {
  /** Whether Space, Enter and Escape are the drawing's now (the arrow keys always are). */
  keysDraw: boolean;
  add: (point: Point) => void;
  close: () => void;
  cancel: () => void;
}

/** The stage the overlay covers, and its size in pixels as laid out now. */
export function useStageSize() {
  const stage = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const element = stage.current;
    if (!element) return;
    const measure = () => setSize({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { stage, width: size.width, height: size.height };
}

/** The keyboard's cursor, whether the overlay has the focus, and the overlay's own attributes
 * (its view box, focus, clicks and keys) for an `<svg>` of `width` × `height` pixels. */
export function useDrawingInput(actions: DrawingActions, width: number, height: number) {
  const [cursor, setCursor] = useState<Point>([0.5, 0.5]);
  const [focused, setFocused] = useState(false);

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const step = event.shiftKey ? STEP * 10 : STEP;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    if (event.key in moves) {
      const [dx, dy] = moves[event.key];
      setCursor((c) => moved(c, dx, dy));
    } else if (event.key === " " && actions.keysDraw) {
      actions.add(cursor);
    } else if (event.key === "Enter" && actions.keysDraw) {
      actions.close();
    } else if (event.key === "Escape" && actions.keysDraw) {
      actions.cancel();
    } else {
      return;
    }
    event.preventDefault();
  };

  const overlay = {
    viewBox: `0 0 ${width || 1} ${height || 1}`,
    tabIndex: 0,
    role: "application",
    onClick: (event: MouseEvent<SVGSVGElement>) =>
      actions.add(toNormalised(event.clientX, event.clientY, event.currentTarget.getBoundingClientRect())),
    onKeyDown,
    onFocus: () => setFocused(true),
    onBlur: () => setFocused(false),
  };
  return { cursor, focused, overlay };
}

interface PendingProps {
  points: Point[];
  width: number;
  height: number;
  className: string;
  testId?: string;
  /** Whether the first corner is drawn larger, and marked `closer` once it can close the outline. */
  closable?: boolean;
}

/** The outline under way, open, with a dot at each corner; nothing before its first corner. */
export function PendingOutline({ points, width, height, className, testId, closable = false }: PendingProps) {
  if (points.length === 0) return null;
  return (
    <g className={className} data-testid={testId}>
      <polyline points={pointsAttribute(points, width, height)} />
      {points.map((p, i) => (
        <circle
          key={i}
          className={closable && i === 0 && points.length >= 3 ? "closer" : undefined}
          cx={p[0] * width}
          cy={p[1] * height}
          r={closable && i === 0 ? 6 : 4}
        />
      ))}
    </g>
  );
}

/** The keyboard's cursor, a cross at a normalised point. */
export function KeyboardCursor({ at, width, height, className, testId }: { at: Point; width: number; height: number; className: string; testId: string }) {
  const [cx, cy] = [at[0] * width, at[1] * height];
  return (
    <g className={className} data-testid={testId}>
      <line x1={cx - 10} y1={cy} x2={cx + 10} y2={cy} />
      <line x1={cx} y1={cy - 10} x2={cx} y2={cy + 10} />
    </g>
  );
}
