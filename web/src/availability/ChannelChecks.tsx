// On-demand checks of one camera: a diagnosis round now (POST /channels/{id}/diagnose) and, for a
// PTZ camera, a PTZ check (POST /channels/{id}/ptz-check: a small pan and back). Each answer is
// shown as it came; a raised or cleared fault appears in the list once it is reloaded.

import { useState } from "react";
import { api } from "../api/client";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n/I18n";
import { useSubmit } from "../manage/useSubmit";
import type { FaultKind } from "./types";

interface RoundAnswer {
  faults: FaultKind[];
  raised: FaultKind[];
  cleared: FaultKind[];
}

interface PtzAnswer {
  similarity: number | null;
  moved: boolean | null;
  raised: boolean;
  cleared: boolean;
}

const PTZ_TYPES = new Set([1, 2, 4]); // GB/T 28181 PTZType: dome, half dome, remote box camera

export function ChannelChecks({ channelId, ptzType, onDone }: { channelId: string; ptzType: number | null; onDone: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const submit = useSubmit();
  const [result, setResult] = useState<string | null>(null);
  const kinds = (list: FaultKind[]) => (list.length ? list.map((k) => t(`fault.${k}`)).join("、") : t("checks.nothing"));

  const run = (work: () => Promise<string>) => {
    setResult(null);
    return submit.run(async () => {
      setResult(await work());
      onDone();
    });
  };
  const diagnose = () =>
    run(async () => {
      const answer = await api<RoundAnswer>(`/channels/${channelId}/diagnose`, { method: "POST" });
      return t("checks.round", { faults: kinds(answer.faults), raised: kinds(answer.raised), cleared: kinds(answer.cleared) });
    });
  const ptz = () =>
    run(async () => {
      const answer = await api<PtzAnswer>(`/channels/${channelId}/ptz-check`, { method: "POST" });
      if (answer.moved === null) return t("checks.ptzUnknown");
      const similarity = (answer.similarity ?? 0).toFixed(2);
      return answer.moved ? t("checks.ptzMoved", { similarity }) : t("checks.ptzStill", { similarity });
    });

  return (
    <div className="checks" aria-live="polite">
      {can("video:live") && (
        <button type="button" onClick={() => void diagnose()} disabled={submit.busy}>{t("checks.diagnose")}</button>
      )}
      {can("device:control") && ptzType !== null && PTZ_TYPES.has(ptzType) && (
        <button type="button" onClick={() => void ptz()} disabled={submit.busy}>{t("checks.ptz")}</button>
      )}
      {submit.busy && <span className="muted">{t("checks.running")}</span>}
      {result && <span data-testid="check-result">{result}</span>}
      {submit.error && <span className="error" role="alert">{t("error.withDetail", { detail: submit.error })}</span>}
    </div>
  );
}
