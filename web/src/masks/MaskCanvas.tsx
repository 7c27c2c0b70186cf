// The channel's snapshot with its masks drawn over it as translucent shapes, and where a new
// outline is drawn: a click adds a corner, a click on the first corner closes it (so does the
// editor's Finish button). The keyboard draws too: the arrow keys move a cursor (Shift: ten
// times as far), Space adds a corner at it, Enter closes, Escape cancels. The area takes the
// picture's aspect ratio, so a point's coordinates are fractions of the picture.

import { useEffect, useState } from "react";
import { blob } from "../api/client";
import { KeyboardCursor, PendingOutline, useDrawingInput, useStageSize } from "../drawing/drawingArea";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { pointsAttribute, samePlace } from "../rules/geometry";
import type { Point } from "../rules/geometry";
import { closesOutline } from "./maskModel";
import type { MaskDraft } from "./maskModel";

interface Props {
  channelId: string;
  name: string;
  masks: MaskDraft[];
  selected: string | null;
  /** The corners of the outline being drawn; null when none is. */
  drawing: Point[] | null;
  onDrawing: (next: Point[] | null) => void;
  /** The outline is closed (three corners or more). */
  onClosed: (points: Point[]) => void;
  onSelect: (key: string) => void;
  /** Asks for a fresh snapshot whenever it changes (after a save, the blur follows the masks). */
  pictureRound: number;
}

type Picture = { state: "loading" } | { state: "shown"; url: string } | { state: "failed"; reason: string };

/** The snapshot as an object URL, fetched again when `round` changes; revoked when replaced. */
function useSnapshot(channelId: string, round: number): Picture {
  const { t } = useI18n();
  const [picture, setPicture] = useState<Picture>({ state: "loading" });
  useEffect(() => {
    let url: string | null = null;
    let alive = true;
    setPicture({ state: "loading" });
    blob(`/channels/${channelId}/snapshot`).then(
      (jpeg) => {
        if (!alive) return;
        url = URL.createObjectURL(jpeg);
        setPicture({ state: "shown", url });
      },
      (failure: unknown) => alive && setPicture({ state: "failed", reason: problemText(t, failure) }),
    );
    return () => {
      alive = false;
      if (url) URL.revokeObjectURL(url);
    };
    // t changes with the language; the picture need not be fetched again for it
  }, [channelId, round]);
  return picture;
}

export function MaskCanvas({ channelId, name, masks, selected, drawing, onDrawing, onClosed, onSelect, pictureRound }: Props) {
  const { t } = useI18n();
  const { stage, width, height } = useStageSize();
  const [aspect, setAspect] = useState(16 / 9);
  const picture = useSnapshot(channelId, pictureRound);

  const add = (point: Point) => {
    if (!drawing) return;
    if (closesOutline(drawing, point, width, height)) {
      onClosed(drawing);
      return;
    }
    const last = drawing[drawing.length - 1];
    if (last && samePlace(last, point, width, height)) return;
    onDrawing([...drawing, point]);
  };
  const close = () => {
    if (drawing && drawing.length >= 3) onClosed(drawing);
  };
  const { cursor, focused, overlay } = useDrawingInput(
    { keysDraw: drawing !== null, add, close, cancel: () => onDrawing(null) },
    width,
    height,
  );

  return (
    <div
      className="mask-stage"
      ref={stage}
      data-picture={picture.state}
      style={{ aspectRatio: String(aspect), width: `min(100%, calc(62vh * ${aspect}))` }}
    >
      {picture.state === "shown" && (
        <img
          src={picture.url}
          alt={t("masks.picture", { name })}
          onLoad={(e) => {
            const img = e.currentTarget;
            if (img.naturalWidth > 0 && img.naturalHeight > 0) setAspect(img.naturalWidth / img.naturalHeight);
          }}
        />
      )}
      {picture.state !== "shown" && (
        <p className={`mask-picture-note${picture.state === "failed" ? " error" : ""}`} role="status">
          {picture.state === "loading" ? t("masks.pictureLoading") : t("masks.pictureFailed", { reason: picture.reason })}
        </p>
      )}
      <svg
        className={`mask-overlay${drawing ? " drawing" : ""}`}
        data-testid="mask-overlay"
        aria-label={t("masks.area")}
        {...overlay}
      >
        {width > 0 &&
          masks.map((mask) =>
            mask.points.length >= 3 ? (
              <polygon
                key={mask.key}
                className={`mask-shape${mask.key === selected ? " selected" : ""}${mask.permanent ? " permanent" : ""}`}
                data-mask={mask.key}
                points={pointsAttribute(mask.points, width, height)}
                onClick={(event) => {
                  if (drawing) return; // a corner of the new outline, not a choice
                  event.stopPropagation();
                  onSelect(mask.key);
                }}
              >
                <title>{mask.label}</title>
              </polygon>
            ) : null,
          )}
        {drawing && (
          <PendingOutline points={drawing} width={width} height={height} className="mask-pending" testId="mask-pending" closable />
        )}
        {focused && drawing && (
          <KeyboardCursor at={cursor} width={width} height={height} className="mask-cursor" testId="mask-cursor" />
        )}
      </svg>
    </div>
  );
}
