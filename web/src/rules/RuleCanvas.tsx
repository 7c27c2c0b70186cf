// The channel's live picture with the rules drawn over it, and where new shapes are drawn: a
// zone point by point (click; double-click or Enter closes it), a line by two clicks. The
// keyboard draws too: the arrow keys move a cursor (Shift: ten times as far), Space adds a point
// at it, Enter closes a zone, Escape cancels. The area keeps the video's aspect ratio, so the
// overlay covers the picture exactly and a point's coordinates are fractions of the picture.

import { useEffect, useState } from "react";
import { KeyboardCursor, PendingOutline, useDrawingInput, useStageSize } from "../drawing/drawingArea";
import { useI18n } from "../i18n/I18n";
import { Player } from "../player/Player";
import { directionArrows, pointsAttribute, samePlace } from "./geometry";
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
  const { stage, width, height } = useStageSize();
  const [aspect, setAspect] = useState(16 / 9);

  useEffect(() => {
    const element = stage.current;
    if (!element) return;
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
      element.removeEventListener("loadedmetadata", picture, true);
      element.removeEventListener("resize", picture, true);
    };
  }, []);

  const add = (point: Point) => {
    if (!drawing) return;
    const last = drawing.points[drawing.points.length - 1];
    if (last && samePlace(last, point, width, height)) return;
    const points = [...drawing.points, point];
    if (drawing.shape === "line" && points.length === 2) onDrawn(points);
    else onDrawing({ ...drawing, points });
  };
  const close = () => {
    if (drawing?.shape === "zone" && drawing.points.length >= 3) onDrawn(drawing.points);
  };
  // Space, Enter and Escape are the drawing's even when none is under way.
  const { cursor, focused, overlay } = useDrawingInput(
    { keysDraw: true, add, close, cancel: () => onDrawing(null) },
    width,
    height,
  );

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
        aria-label={t("rules.area")}
        {...overlay}
        onDoubleClick={close}
      >
        {width > 0 &&
          rules.map((rule) => (
            <RuleShape key={rule.id} rule={rule} selected={rule.id === selected} width={width} height={height} />
          ))}
        {drawing && <PendingOutline points={drawing.points} width={width} height={height} className="rule-pending" />}
        {focused && <KeyboardCursor at={cursor} width={width} height={height} className="rule-cursor" testId="rules-cursor" />}
      </svg>
    </div>
  );
}
