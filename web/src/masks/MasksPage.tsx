// The privacy masks of one channel (/manage/masks?channel=ID, opened from the channels page):
// its snapshot with the masks drawn over it, the list of masks with their labels, "permanent"
// and preset, and saving them all at once (PUT replaces the channel's masks). Changing them is
// access policy, like a channel's sensitivity: users:manage and catalog:write; anyone else who
// may read the catalog sees them read-only.

import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import type { MaskList } from "../api/types";
import { useSession } from "../auth/session";
import { ChannelPage } from "../components/ChannelPage";
import { ServerError } from "../components/Field";
import { useI18n } from "../i18n/I18n";
import { useSubmit } from "../manage/useSubmit";
import type { Point } from "../rules/geometry";
import { MaskCanvas } from "./MaskCanvas";
import { MaskForm, problemWords } from "./MaskForm";
import { MAX_MASKS, fromServer, maskProblem, masksBody, nextKey } from "./maskModel";
import type { MaskDraft, MaskProblem } from "./maskModel";
import "./masks.css";

/** What editing the page's drafts takes: the drafts, the one chosen, the outline being drawn
 * and for which draft (a new one: null), and whether they differ from what was loaded. */
function useDrafts() {
  const [masks, setMasks] = useState<MaskDraft[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [drawing, setDrawing] = useState<Point[] | null>(null);
  const [redrawing, setRedrawing] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const loaded = useCallback((list: MaskList) => {
    const drafts = fromServer(list.masks);
    setMasks(drafts);
    setSelected((current) => (drafts.some((d) => d.key === current) ? current : drafts[0]?.key ?? null));
    setDrawing(null);
    setRedrawing(null);
    setDirty(false);
  }, []);
  const edit = (next: MaskDraft[]) => {
    setMasks(next);
    setDirty(true);
  };
  return { masks, selected, setSelected, drawing, setDrawing, redrawing, setRedrawing, dirty, loaded, edit };
}

function MasksEditor({ channelId, name }: { channelId: string; name: string }) {
  const { t } = useI18n();
  const { can } = useSession();
  const editable = can("users:manage") && can("catalog:write");
  const submit = useSubmit();
  const drafts = useDrafts();
  const { masks, selected, drawing, redrawing, dirty } = drafts;
  const [local, setLocal] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const [loadedOnce, setLoadedOnce] = useState(false);

  const load = useCallback(() => {
    setLocal(null);
    void submit.run(async () => {
      drafts.loaded(await api<MaskList>(`/channels/${channelId}/masks`));
      setLoadedOnce(true);
    });
    // submit and drafts are fresh objects each render; loading depends on the channel alone
  }, [channelId]);
  useEffect(load, [load]);

  const startDrawing = (forKey: string | null) => {
    setLocal(null);
    if (forKey === null && masks.length >= MAX_MASKS) {
      setLocal(t("masks.tooMany", { max: MAX_MASKS }));
      return;
    }
    drafts.setRedrawing(forKey);
    drafts.setDrawing([]);
  };
  const closed = (points: Point[]) => {
    setLocal(null);
    if (redrawing) {
      drafts.edit(masks.map((m) => (m.key === redrawing ? { ...m, points } : m)));
      drafts.setSelected(redrawing);
    } else {
      const key = nextKey(masks);
      const label = t("masks.newLabel", { n: masks.length + 1 });
      drafts.edit([...masks, { key, label, points, permanent: false, preset: "" }]);
      drafts.setSelected(key);
    }
    drafts.setDrawing(null);
    drafts.setRedrawing(null);
  };
  const cancelDrawing = () => {
    drafts.setDrawing(null);
    drafts.setRedrawing(null);
  };
  const remove = (key: string) => {
    setLocal(null);
    drafts.edit(masks.filter((m) => m.key !== key));
    drafts.setSelected(null);
  };
  const save = async () => {
    const broken = masks.map((m) => [m, maskProblem(m)] as const).find(([, p]) => p !== null);
    if (broken) {
      const [mask, problem] = broken;
      drafts.setSelected(mask.key);
      setLocal(t("masks.problemOf", { label: mask.label.trim() || mask.key, problem: problemWords(t, problem as MaskProblem) }));
      return;
    }
    setLocal(null);
    const body = masksBody(masks);
    const ok = await submit.run(async () => {
      drafts.loaded(await api<MaskList>(`/channels/${channelId}/masks`, { method: "PUT", json: body }));
    });
    if (ok) setRound((r) => r + 1); // the snapshot is blurred where the masks now are
  };

  const chosen = masks.find((m) => m.key === selected);
  return (
    <div className="masks-editor">
      <div className="masks-picture">
        <MaskCanvas
          channelId={channelId}
          name={name}
          masks={masks}
          selected={selected}
          drawing={drawing}
          onDrawing={drafts.setDrawing}
          onClosed={closed}
          onSelect={drafts.setSelected}
          pictureRound={round}
        />
        {drawing && (
          <div className="toolbar mask-drawing" role="group" aria-label={t("masks.area")}>
            <span className="muted" data-testid="mask-hint">{t("masks.drawing")}</span>
            <button type="button" className="primary" disabled={drawing.length < 3} onClick={() => closed(drawing)}>
              {t("masks.finish")}
            </button>
            <button type="button" onClick={cancelDrawing}>{t("masks.cancelDrawing")}</button>
          </div>
        )}
        <p>
          <button type="button" onClick={() => setRound((r) => r + 1)}>{t("masks.refreshPicture")}</button>
        </p>
      </div>
      <div className="masks-side">
        <h3>{t("masks.list")}</h3>
        <p className="muted">{t("masks.hint")}</p>
        {!editable && <p className="notice" data-testid="masks-read-only">{t("masks.readOnly")}</p>}
        {loadedOnce && masks.length === 0 && <p className="muted">{t("masks.none")}</p>}
        {masks.length > 0 && (
          <ul className="masks-list" data-testid="masks-list">
            {masks.map((m) => (
              <li key={m.key}>
                <button type="button" aria-pressed={m.key === selected} data-mask={m.key} onClick={() => drafts.setSelected(m.key)}>
                  {m.label || m.key}
                  {m.permanent ? ` · ${t("masks.permanentMark")}` : ""}
                  {m.preset ? ` · #${m.preset}` : ""}
                </button>
              </li>
            ))}
          </ul>
        )}
        {editable && (
          <div className="mask-actions">
            <button type="button" disabled={drawing !== null} onClick={() => startDrawing(null)}>{t("masks.add")}</button>
          </div>
        )}
        {chosen && (
          <MaskForm
            key={chosen.key}
            mask={chosen}
            editable={editable}
            drawing={drawing !== null}
            onChange={(next) => drafts.edit(masks.map((m) => (m.key === next.key ? next : m)))}
            onRedraw={() => startDrawing(chosen.key)}
            onRemove={() => remove(chosen.key)}
          />
        )}
        {editable && (
          <div className="mask-actions">
            <button type="button" className="primary" disabled={submit.busy || !dirty || drawing !== null} onClick={() => void save()}>
              {t("masks.save")}
            </button>
            <button type="button" onClick={load}>{t("masks.reload")}</button>
            <span className="muted" role="status" data-testid="masks-state">
              {loadedOnce ? (dirty ? t("masks.unsaved") : t("masks.saved")) : ""}
            </span>
          </div>
        )}
        {local && <p className="error" role="alert">{local}</p>}
        <ServerError message={submit.error} />
      </div>
    </div>
  );
}

export function MasksPage() {
  return (
    <ChannelPage
      name="masks"
      page="/manage/masks"
      editor={(channelId, name) => <MasksEditor channelId={channelId} name={name} />}
    />
  );
}
