// PTZ control and presets for the active cell's camera, when it is a PTZ type (dome, remote gun):
//   POST /channels/{id}/ptz {command, speed}; presets in PresetList (set, call, delete).
// Buttons act while held (pointer or Space/Enter) and send "stop" on release.

import { useId, useState } from "react";
import { api } from "../api/client";
import type { Channel } from "../api/types";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import type { StringKey } from "../i18n/strings";
import { PresetList } from "./PresetList";

const PTZ_TYPES = new Set([1, 4]); // GB/T 28181 PTZType: 1 dome, 4 remote-controlled gun
const COMMANDS: [string, StringKey, string][] = [
  ["up", "ptz.up", "▲"],
  ["left", "ptz.left", "◀"],
  ["right", "ptz.right", "▶"],
  ["down", "ptz.down", "▼"],
  ["zoom_in", "ptz.zoomIn", "＋"],
  ["zoom_out", "ptz.zoomOut", "－"],
];

export function PtzPanel({ channel }: { channel: Channel }) {
  const { t } = useI18n();
  const { can } = useSession();
  const speedId = useId();
  const [speed, setSpeed] = useState(128);
  const [error, setError] = useState<string | null>(null);
  const usable = channel.ptz_type !== null && PTZ_TYPES.has(channel.ptz_type) && can("device:control");

  if (!usable) return null;
  const send = (command: string) =>
    api(`/channels/${channel.id}/ptz`, { json: { command, speed } }).catch((failure: unknown) =>
      setError(problemText(t, failure)),
    );

  return (
    <aside className="ptz" aria-label={t("ptz.title")}>
      <h3>{t("ptz.title")}</h3>
      <div className="ptz-pad">
        {COMMANDS.map(([command, label, glyph]) => (
          <button
            key={command}
            type="button"
            className={`ptz-${command}`}
            aria-label={t(label)}
            title={t(label)}
            onPointerDown={() => void send(command)}
            onPointerUp={() => void send("stop")}
            onKeyDown={(e) => (e.key === " " || e.key === "Enter") && !e.repeat && void send(command)}
            onKeyUp={(e) => (e.key === " " || e.key === "Enter") && void send("stop")}
          >
            {glyph}
          </button>
        ))}
      </div>
      <div className="ptz-speed">
        <label htmlFor={speedId}>{t("ptz.speed")}</label>
        <input id={speedId} type="range" min={1} max={255} value={speed} onChange={(e) => setSpeed(Number(e.target.value))} />
        <span className="ptz-speed-value" aria-hidden="true">{speed}</span>
      </div>
      <PresetList channelId={channel.id} />
      {error && <p className="error" role="alert">{t("error.withDetail", { detail: error })}</p>}
    </aside>
  );
}
