// The presets (预置位) of a PTZ camera: the list the camera reports (GET /channels/{id}/presets),
// each with call and delete, and a number to set the current view as a preset. Every action is
// POST /channels/{id}/presets {action: set | call | delete, number}; after set and delete the list
// is asked of the camera again, so it shows what the camera holds, not what was meant.

import { useCallback, useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Answer, ItemOf } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";

type Preset = ItemOf<Answer<"/api/v1/channels/{channel_id}/presets">>;

type Action = "set" | "call" | "delete";

export function PresetList({ channelId }: { channelId: string }) {
  const { t } = useI18n();
  const [presets, setPresets] = useState<Preset[] | null>(null);
  const [number, setNumber] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (failure: unknown) => setError(problemText(t, failure));

  const reload = useCallback(
    () =>
      api<Answer<"/api/v1/channels/{channel_id}/presets">>(`/channels/${channelId}/presets`)
        .then((page) => setPresets(page.items))
        .catch(fail),
    [channelId],
  );
  useEffect(() => {
    setPresets(null);
    setDone(null);
    setError(null);
    void reload();
  }, [reload]);

  const act = async (action: Action, preset: number) => {
    setDone(null);
    setError(null);
    try {
      await api(`/channels/${channelId}/presets`, { json: { action, number: preset } });
      setDone(t(`preset.done.${action}`, { number: preset }));
      if (action !== "call") await reload();
    } catch (failure) {
      fail(failure);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void act("set", Number(number)).then(() => setNumber(""));
  };

  return (
    <section className="preset-list" aria-label={t("ptz.presets")}>
      <h4>{t("ptz.presets")}</h4>
      {presets === null && !error && <p className="muted">{t("common.loading")}</p>}
      {presets?.length === 0 && <p className="muted">{t("preset.none")}</p>}
      <ul className="presets">
        {presets?.map((preset) => (
          <li key={preset.id} data-preset={preset.id}>
            <span className="preset-name">{`${preset.id}. ${preset.name}`}</span>
            <button type="button" onClick={() => void act("call", preset.id)} aria-label={t("preset.callNamed", { name: preset.name })}>
              {t("preset.call")}
            </button>
            <button type="button" className="danger" onClick={() => void act("delete", preset.id)} aria-label={t("preset.deleteNamed", { name: preset.name })}>
              {t("preset.delete")}
            </button>
          </li>
        ))}
      </ul>
      <form className="preset-set" onSubmit={submit}>
        <label>
          {t("preset.number")}
          <input name="preset-number" type="number" min={1} max={255} required value={number} onChange={(e) => setNumber(e.target.value)} />
        </label>
        <button type="submit">{t("preset.set")}</button>
      </form>
      {done && <p className="success" role="status">{done}</p>}
      {error && <p className="error" role="alert">{t("error.withDetail", { detail: error })}</p>}
    </section>
  );
}
