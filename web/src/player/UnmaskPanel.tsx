// Over a masked live picture: how to see it unmasked. The caller's approved unmask requests for
// the channel, one chosen with a purpose (and a case) to reopen the view under it; their pending
// ones, which another user decides on the approvals page; and a new request, with its purpose.
// GET /approvals?mine=true (the caller's own; kind and channel are picked out here),
// POST /approvals {kind: "unmask", channel_id, purpose, case_number}.

import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Approval } from "../api/types";
import { approvalsChanged, inboxPath, useInbox } from "../approvals/useApprovals";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { CASE_MAX, PURPOSE_MAX, checkPurpose } from "../playback/purpose";
import { pendingUnmasks, unmaskAsk, unmaskGrants } from "./unmask";
import type { Unmask } from "./unmask";

interface Props {
  channelId: string;
  onUnmask: (unmask: Unmask) => void;
  onClose: () => void;
}

/** A purpose and an optional case typed; `check` says what is wrong or the committed value. */
function useWhy(initial = { purpose: "", caseNumber: "" }) {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState(initial.purpose);
  const [caseNumber, setCaseNumber] = useState(initial.caseNumber);
  const check = () => {
    const checked = checkPurpose(purpose, caseNumber);
    return typeof checked === "string"
      ? { problem: t(`purpose.${checked}`, { max: checked === "caseLong" ? CASE_MAX : PURPOSE_MAX }) }
      : { value: checked };
  };
  const fields = (prefix: string) => (
    <>
      <label>
        {t("purpose.purpose")}
        <input name={`${prefix}-purpose`} value={purpose} maxLength={PURPOSE_MAX} onChange={(e) => setPurpose(e.target.value)} />
      </label>
      <label>
        {t("purpose.case")}
        <input name={`${prefix}-case`} value={caseNumber} maxLength={CASE_MAX} onChange={(e) => setCaseNumber(e.target.value)} />
      </label>
    </>
  );
  return { check, fields, setPurpose, setCaseNumber };
}

export function UnmaskPanel({ channelId, onUnmask, onClose }: Props) {
  const { t, time } = useI18n();
  const mine = useInbox(inboxPath(true, null, 200));
  const requests: Approval[] = mine.inbox?.items ?? [];
  const grants = unmaskGrants(requests, channelId);
  const pending = pendingUnmasks(requests, channelId);
  const [chosen, setChosen] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [asked, setAsked] = useState<string | null>(null);
  const watch = useWhy();
  const ask = useWhy();

  // The newest approved request is chosen at first, its purpose and case put in.
  const grant = grants.find((g) => g.id === chosen) ?? null;
  useEffect(() => {
    if (chosen === null && grants.length > 0) choose(grants[0]);
  }, [grants.length]);
  function choose(request: Approval) {
    setChosen(request.id);
    watch.setPurpose(request.purpose);
    watch.setCaseNumber(request.case_number ?? "");
  }

  const submitWatch = (event: FormEvent) => {
    event.preventDefault();
    if (!grant) return setProblem(t("unmask.chooseGrant"));
    const why = watch.check();
    if (!why.value) return setProblem(why.problem);
    setProblem(null);
    onUnmask({ approval: grant.id, purpose: why.value });
  };
  const submitAsk = (event: FormEvent) => {
    event.preventDefault();
    const why = ask.check();
    if (!why.value) return setAsked(why.problem);
    setAsked(null);
    api<Approval>("/approvals", { json: unmaskAsk(channelId, why.value) }).then(
      (filed) => {
        setAsked(t("unmask.asked", { id: filed.id }));
        approvalsChanged();
      },
      (failure: unknown) => setAsked(problemText(t, failure)),
    );
  };

  return (
    <div className="unmask-panel" role="dialog" aria-label={t("unmask.title")} data-testid="unmask-panel" onClick={(e) => e.stopPropagation()}>
      <div className="unmask-head">
        <strong>{t("unmask.title")}</strong>
        <button type="button" onClick={mine.reload}>{t("unmask.refresh")}</button>
        <button type="button" onClick={onClose}>{t("unmask.close")}</button>
      </div>
      <p className="muted">{t("unmask.hint")}</p>
      {mine.error !== null && <p className="error" role="alert">{problemText(t, mine.error)}</p>}
      <form onSubmit={submitWatch} aria-label={t("unmask.grants")}>
        <fieldset>
          <legend>{t("unmask.grants")}</legend>
          {grants.length === 0 && <p className="muted">{t("unmask.noGrants")}</p>}
          {grants.map((g) => (
            <label key={g.id} className="unmask-grant">
              <input type="radio" name="unmask-grant" value={g.id} checked={g.id === chosen} onChange={() => choose(g)} />
              {t("unmask.grant", { id: g.id, purpose: g.purpose, time: g.expires_at ? time(g.expires_at) : "—" })}
            </label>
          ))}
        </fieldset>
        {grants.length > 0 && (
          <>
            {watch.fields("unmask")}
            <button type="submit" className="primary">{t("unmask.watch")}</button>
          </>
        )}
        {problem && <p className="error" role="alert">{problem}</p>}
      </form>
      {pending.map((p) => (
        <p key={p.id} className="notice" data-approval={p.id}>{t("unmask.pending", { id: p.id })}</p>
      ))}
      <form onSubmit={submitAsk} aria-label={t("unmask.ask")}>
        <fieldset>
          <legend>{t("unmask.ask")}</legend>
          {ask.fields("ask")}
          <button type="submit">{t("unmask.ask")}</button>
        </fieldset>
        {asked && <p role="status" data-testid="unmask-asked">{asked}</p>}
      </form>
    </div>
  );
}
