// Export of a range under approval (审批): the form first asks for an export approval of the
// range with the page's purpose and case (POST /approvals), or finds the caller's own request
// that already covers it; it shows that request's state with a refresh; once another user has
// approved it, it exports with its approval_id (POST /channels/{id}/exports), waits for the job
// and downloads the signed package (.zip), then the MP4 and its manifest. "Blur faces" asks for
// an anonymised export (anonymise: ["faces"]): every face found in each picture is blurred;
// "Blur plates" adds "plates" (every licence plate found).

import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api, download } from "../api/client";
import type { Approval, ApprovalInbox, ExportStatus } from "../api/types";
import { covers, standingRequest, usable } from "../approvals/grants";
import type { Span } from "../approvals/grants";
import { useI18n } from "../i18n/I18n";
import { problemText, reasonText } from "../i18n/problems";
import type { Purpose } from "./purpose";

const EXPORT_POLLS = 600; // one a second: an export longer than ten minutes is reported, not awaited

interface Props {
  channelId: string;
  from: string;
  to: string;
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
  purpose: Purpose | null;
}

/** One end of the range to export, a local date-time. */
function ExportEnd(props: { label: string; name: string; value: string; onChange: (value: string) => void }) {
  return (
    <label className="inline">
      {props.label}
      <input type="datetime-local" name={props.name} value={props.value} onChange={(e) => props.onChange(e.target.value)} required />
    </label>
  );
}

/** The range of the form's inputs (local date-times), or null while one is empty or wrong. */
function rangeOf(from: string, to: string): Span | null {
  const start = new Date(from).getTime();
  const end = new Date(to).getTime();
  return Number.isNaN(start) || Number.isNaN(end) || end <= start ? null : { start, end };
}

export function ExportForm({ channelId, from, to, onFrom, onTo, purpose }: Props) {
  const { t, time } = useI18n();
  const [request, setRequest] = useState<Approval | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [blurFaces, setBlurFaces] = useState(false);
  const [blurPlates, setBlurPlates] = useState(false);
  const range = rangeOf(from, to);
  const standing = request && range && covers(request, channelId, range) ? request : null;

  // Another camera: its own requests.
  useEffect(() => {
    setRequest(null);
    setStatus(null);
  }, [channelId]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (failure) {
      setStatus(problemText(t, failure));
    } finally {
      setBusy(false);
    }
  };

  /** The caller's request covering the range if there is one, else a new one. */
  const ask = () =>
    act(async () => {
      if (!range || !purpose) return;
      setStatus(null);
      const mine = await api<ApprovalInbox>("/approvals?mine=true&limit=100");
      const found = standingRequest(mine.items, channelId, range, purpose);
      const start = new Date(range.start).toISOString();
      const end = new Date(range.end).toISOString();
      setRequest(
        found ??
          (await api<Approval>("/approvals", {
            json: { kind: "export", channel_id: channelId, start, end, purpose: purpose.purpose, case_number: purpose.caseNumber },
          })),
      );
    });

  const refresh = () =>
    act(async () => {
      if (standing) setRequest(await api<Approval>(`/approvals/${standing.id}`));
    });

  const runExport = (event: FormEvent) => {
    event.preventDefault();
    if (!standing || !range || !usable(standing)) return;
    void act(async () => {
      setStatus(t("playback.exporting"));
      let job = await api<ExportStatus>(`/channels/${channelId}/exports`, {
        json: {
          start: new Date(range.start).toISOString(),
          end: new Date(range.end).toISOString(),
          purpose: standing.purpose,
          case: standing.case_number,
          approval_id: standing.id,
          anonymise: [...(blurFaces ? (["faces"] as const) : []), ...(blurPlates ? (["plates"] as const) : [])],
        },
      });
      for (let polls = 0; job.state === "running" && polls < EXPORT_POLLS; polls += 1) {
        await new Promise((resolve) => window.setTimeout(resolve, 1000));
        job = await api<ExportStatus>(`/exports/${job.id}`);
      }
      if (job.state !== "done") {
        const code = job.error_code ?? `job.${job.state}`;
        setStatus(reasonText(t, code, job.error_params ?? {}, "problem.export.failed"));
        return;
      }
      const name = `${channelId}-${job.id}`;
      if (job.package) await download(`/api/v1/exports/${job.id}/package`, `${name}.zip`);
      await download(`/api/v1/exports/${job.id}/video`, `${name}.mp4`);
      await download(`/api/v1/exports/${job.id}/manifest`, `${name}.manifest.json`);
      setStatus(t("playback.exported"));
    });
  };

  return (
    <form className="export" onSubmit={runExport}>
      <h3>{t("playback.export")}</h3>
      <ExportEnd label={t("playback.from")} name="export-from" value={from} onChange={onFrom} />
      <ExportEnd label={t("playback.to")} name="export-to" value={to} onChange={onTo} />
      <label className="inline" title={t("export.blurFacesHint")}>
        <input type="checkbox" name="export-blur-faces" checked={blurFaces} onChange={(e) => setBlurFaces(e.target.checked)} />
        {t("export.blurFaces")}
      </label>
      <label className="inline">
        <input type="checkbox" name="export-blur-plates" checked={blurPlates} onChange={(e) => setBlurPlates(e.target.checked)} />
        {t("export.blurPlates")}
      </label>
      {!standing ? (
        <button type="button" disabled={busy || !range || !purpose} onClick={() => void ask()}>
          {t("export.ask")}
        </button>
      ) : (
        <>
          <span className="approval-state" data-testid="export-approval" data-state={standing.state} data-id={standing.id}>
            {t("export.request", { id: standing.id })} <strong>{t(`approvals.state.${standing.state}`)}</strong>
            {standing.state === "approved" && standing.expires_at ? ` ${t("export.until", { time: time(standing.expires_at) })}` : ""}
            {standing.decided_by && (
              <>
                {` · ${t("export.decidedBy")} `}
                <span translate="no">{standing.decided_by}</span>
              </>
            )}
          </span>
          <button type="button" disabled={busy} onClick={() => void refresh()}>
            {t("export.refresh")}
          </button>
          {usable(standing) ? (
            <button type="submit" disabled={busy}>{t("playback.exportButton")}</button>
          ) : (
            standing.state !== "pending" && (
              <button type="button" disabled={busy || !purpose} onClick={() => setRequest(null)}>
                {t("export.askAgain")}
              </button>
            )
          )}
        </>
      )}
      {!purpose && <span className="muted">{t("export.needsPurpose")}</span>}
      {status && <span role="status">{status}</span>}
    </form>
  );
}
