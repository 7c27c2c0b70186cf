// The channel's live picture with the rules drawn over it, and where new shapes are drawn: a
// zone point by point (click; double-click or Enter closes it), a line by two clicks. The
// keyboard draws too: the arrow keys move a cursor (Shift: ten times as far), Space adds a point
// at it, Enter closes a zone, Escape cancels. The area keeps the video's aspect ratio, so the
// overlay covers the picture exactly and a point's coordinates are fractions of the picture.

import { useEffect, useRef, useState } from "react";
import type { KeyboardEvent, MouseEvent } from "react";
import { useI18n } from "../i18n/I18n";
import { Player } from "../player/Player";
import { directionArrows, moved, pointsAttribute, samePlace, toNormalised } from "./geometry";
import type { Point } from "./geometry";
import { shapeOf } from "./ruleModel";
import type { RuleDraft, Shape } from "./ruleModel";

export interface Drawing {
  shape: Shape;
  points: Point[];
}

interface Props {
  channelId: string;
  title: string;
  rules: RuleDraft[];
  selected: string | null;
  drawing: Drawing | null;
  onDrawing: (next: Drawing | null) => void;
  /** The drawing is finished: a closed zone or a two-point line. */
  onDrawn: (points: Point[]) => void;
}

const STEP = 0.01;

function RuleShape({ rule, selected, width, height }: { rule: RuleDraft; selected: boolean; width: number; height: number }) {
  const className = `rule-shape${selected ? " selected" : ""}${rule.enabled ? "" : " disabled"}`;
  if (shapeOf(rule.kind) === "zone") {
    if (rule.zone.length < 3) return null;
    return (
      <polygon className={className} data-rule={rule.id} points={pointsAttribute(rule.zone, width, height)}>
        <title>{rule.name}</title>
      </polygon>
    );
  }
  if (rule.line.length !== 2) return null;
  return (
    <g className={className} data-rule={rule.id}>
      <title>{rule.name}</title>
      <polyline points={pointsAttribute(rule.line, width, height)} />
      {directionArrows(rule.line, rule.direction, width, height).map((arrow, i) => (
        <g key={i} className="rule-arrow" data-arrow={i}>
          <line x1={arrow.from[0]} y1={arrow.from[1]} x2={arrow.to[0]} y2={arrow.to[1]} />
          <polyline points={`${arrow.head[0].join(",")} ${arrow.to.join(",")} ${arrow.head[1].join(",")}`} />
        </g>
      ))}
    </g>
  );
}

export function RuleCanvas({ channelId, title, rules, selected, drawing, onDrawing, onDrawn }: Props) {
  const { t } = useI18n();
  const stage = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [aspect, setAspect] = useState(16 / 9);
  const [cursor, setCursor] = useState<Point>([0.5, 0.5]);
  const [focused, setFocused] = useState(false);

  useEffect(() => {
    const element = stage.current;
    if (!element) return;
    const measure = () => setSize({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    // The video's own size, once known: the area takes its aspect ratio ("loadedmetadata" and
    // "resize" do not bubble, so they are caught on their way down).
    const picture = (event: Event) => {
      const video = event.target;
      if (video instanceof HTMLVideoElement && video.videoWidth > 0 && video.videoHeight > 0) {
        setAspect(video.videoWidth / video.videoHeight);
      }
    };
    element.addEventListener("loadedmetadata", picture, true);
    element.addEventListener("resize", picture, true);
    return () => {
      observer.disconnect();
      element.removeEventListener("loadedmetadata", picture, true);
      element.removeEventListener("resize", picture, true);
    };
  }, []);

  const add = (point: Point) => {
    if (!drawing) return;
    const last = drawing.points[drawing.points.length - 1];
    if (last && samePlace(last, point, size.width, size.height)) return;
    const points = [...drawing.points, point];
    if (drawing.shape === "line" && points.length === 2) onDrawn(points);
    else onDrawing({ ...drawing, points });
  };
  const close = () => {
    if (drawing?.shape === "zone" && drawing.points.length >= 3) onDrawn(drawing.points);
  };
  const pointer = (event: MouseEvent<SVGSVGElement>): Point =>
    toNormalised(event.clientX, event.clientY, event.currentTarget.getBoundingClientRect());

  const key = (event: KeyboardEvent<SVGSVGElement>) => {
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
    } else if (event.key === " ") {
      add(cursor);
    } else if (event.key === "Enter") {
      close();
    } else if (event.key === "Escape") {
      onDrawing(null);
    } else {
      return;
    }
    event.preventDefault();
  };

  const { width, height } = size;
  const pending = drawing ? pointsAttribute(drawing.points, width, height) : "";
  const [cx, cy] = [cursor[0] * width, cursor[1] * height];
  return (
    <div
      className="rules-stage"
      ref={stage}
      style={{ aspectRatio: String(aspect), width: `min(100%, calc(62vh * ${aspect}))` }}
    >
      <Player channelId={channelId} title={title} tabbable={false} />
      <svg
        className={`rules-overlay${drawing ? " drawing" : ""}`}
        data-testid="rules-overlay"
        viewBox={`0 0 ${width || 1} ${height || 1}`}
        tabIndex={0}
        role="application"
        aria-label={t("rules.area")}
        onClick={(event) => add(pointer(event))}
        onDoubleClick={close}
        onKeyDown={key}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
      >
        {width > 0 &&
          rules.map((rule) => (
            <RuleShape key={rule.id} rule={rule} selected={rule.id === selected} width={width} height={height} />
          ))}
        {drawing && drawing.points.length > 0 && (
          <g className="rule-pending">
            <polyline points={pending} />
            {drawing.points.map((p, i) => (
              <circle key={i} cx={p[0] * width} cy={p[1] * height} r={4} />
            ))}
          </g>
        )}
        {focused && (
          <g className="rule-cursor" data-testid="rules-cursor">
            <line x1={cx - 10} y1={cy} x2={cx + 10} y2={cy} />
            <line x1={cx} y1={cy - 10} x2={cx} y2={cy + 10} />
          </g>
        )}
      </svg>
    </div>
  );
}
