// Share a channel with another department: the channel (the page's ?channel=), the organisation,
// one of the caller's approved share requests for the channel (its purpose and case put in, to be
// edited), the purpose and an optional case; POST /channels/{id}/shares. Without an approved
// request the form says so, lists the pending ones, and files a new one for the purpose typed
// (POST /approvals {kind: "share"}), which another user decides on the approvals page.

import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Approval, Share } from "../api/types";
import { approvalsChanged, inboxPath, useInbox } from "../approvals/useApprovals";
import { ChannelPicker, useChosenChannel } from "../components/ChannelPicker";
import { Field, ServerError } from "../components/Field";
import { OrgSelect } from "../components/OrgSelect";
import { useI18n } from "../i18n/I18n";
import type { StringKey } from "../i18n/strings";
import { problemText } from "../i18n/problems";
import { useSubmit } from "../manage/useSubmit";
import { CASE_MAX, PURPOSE_MAX, checkPurpose } from "../playback/purpose";
import type { Purpose } from "../playback/purpose";
import { useCatalogLists } from "../tree/catalog";
import { pendingShares, shareBody, shareGrants, shareRequest } from "./shareModel";
import "./shares.css";

type Rule = { field: "form" | "purpose" | "case"; text: string };

export function ShareForm({ onShared }: { onShared: () => void }) {
  const { t, time } = useI18n();
  const { channelId } = useChosenChannel();
  const { organisations } = useCatalogLists("organisation");
  const mine = useInbox(inboxPath(true, null, 200));
  const requests: Approval[] = mine.inbox?.items ?? [];
  const grants = shareGrants(requests, channelId);
  const pending = pendingShares(requests, channelId);
  const submit = useSubmit();
  const [organisation, setOrganisation] = useState("");
  const [approval, setApproval] = useState<number | null>(null);
  const [purpose, setPurpose] = useState("");
  const [caseNumber, setCaseNumber] = useState("");
  const [rule, setRule] = useState<Rule | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const choose = (request: Approval | null) => {
    setApproval(request?.id ?? null);
    if (!request) return;
    setPurpose(request.purpose);
    setCaseNumber(request.case_number ?? "");
  };
  // Another channel, or the requests (re)loaded: the newest approved one unless one is chosen.
  const grantIds = grants.map((g) => g.id).join(",");
  useEffect(() => {
    if (approval === null || !grants.some((g) => g.id === approval)) choose(grants[0] ?? null);
  }, [channelId, grantIds]);

  /** The purpose and case typed, or the rule they break (shown under their field). */
  const why = (): Purpose | null => {
    const checked = checkPurpose(purpose, caseNumber);
    if (typeof checked !== "string") return checked;
    const key: StringKey = `purpose.${checked}`;
    setRule({ field: checked === "caseLong" ? "case" : "purpose", text: t(key, { max: checked === "caseLong" ? CASE_MAX : PURPOSE_MAX }) });
    return null;
  };

  const share = async (event: FormEvent) => {
    event.preventDefault();
    setRule(null);
    setStatus(null);
    if (!channelId) return setRule({ field: "form", text: t("shares.noChannel") });
    if (!organisation) return setRule({ field: "form", text: t("shares.noOrganisation") });
    if (approval === null) return setRule({ field: "form", text: t("shares.noApproval") });
    const checked = why();
    if (!checked) return;
    await submit.run(async () => {
      const made = await api<Share>(`/channels/${channelId}/shares`, { json: shareBody(organisation, approval, checked) });
      setStatus(t("shares.shared", { organisation: made.organisation_name, id: made.id }));
      onShared();
    });
  };

  const ask = () => {
    setRule(null);
    setStatus(null);
    if (!channelId) return setRule({ field: "form", text: t("shares.noChannel") });
    const checked = why();
    if (!checked) return;
    void submit.run(async () => {
      const filed = await api<Approval>("/approvals", { json: shareRequest(channelId, checked) });
      setStatus(t("shares.asked", { id: filed.id }));
      approvalsChanged();
    });
  };

  return (
    <form className="form grid-form share-form" onSubmit={(e) => void share(e)} noValidate aria-label={t("shares.form")} data-testid="share-form">
      <h3>{t("shares.form")}</h3>
      <ChannelPicker current={channelId} page="/shares" label={t("shares.channel")} none={t("shares.pickChannel")} />
      <OrgSelect codeFirst name="organisation" label={t("shares.organisation")} organisations={organisations.values()} value={organisation} onChange={setOrganisation} none={t("shares.pickOrganisation")} />
      <Field label={t("shares.approval")}>
        <select name="approval" value={approval ?? ""} onChange={(e) => choose(grants.find((g) => g.id === Number(e.target.value)) ?? null)}>
          <option value="">{t("shares.pickApproval")}</option>
          {grants.map((g) => (
            <option key={g.id} value={g.id}>
              {t("shares.grant", { id: g.id, purpose: g.purpose, time: g.expires_at ? time(g.expires_at) : "—" })}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("purpose.purpose")} name="share-purpose" value={purpose} maxLength={PURPOSE_MAX} onChange={(e) => setPurpose(e.target.value)} error={rule?.field === "purpose" ? rule.text : null} />
      <Field label={t("purpose.case")} name="share-case" value={caseNumber} maxLength={CASE_MAX} onChange={(e) => setCaseNumber(e.target.value)} error={rule?.field === "case" ? rule.text : null} />
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={submit.busy}>{t("shares.submit")}</button>
        <button type="button" onClick={ask} disabled={submit.busy}>{t("shares.ask")}</button>
        <button type="button" onClick={mine.reload}>{t("shares.refresh")}</button>
      </div>
      {channelId && grants.length === 0 && mine.inbox && <p className="muted" data-testid="share-no-grants">{t("shares.noGrants")}</p>}
      {pending.map((p) => (
        <p key={p.id} className="notice" data-approval={p.id}>{t("shares.pending", { id: p.id })}</p>
      ))}
      {mine.error !== null && <p className="error" role="alert">{problemText(t, mine.error)}</p>}
      {rule?.field === "form" && <p className="error" role="alert">{rule.text}</p>}
      <ServerError message={submit.error} />
      {status && <p role="status" data-testid="share-status">{status}</p>}
    </form>
  );
}
