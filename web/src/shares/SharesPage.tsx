// 共享: lending a channel's live video to another department (跨部门共享). The shares the
// caller sees — of their channels and lent to their organisations — in force, or with the ended
// ones (GET /shares?ended=true); a revoke on one in force (POST /shares/{id}/revoke); and, for
// callers who may share (video:export), the form that shares a channel under an approved share
// request (ShareForm).

import { useState } from "react";
import { api } from "../api/client";
import type { Share, ShareList } from "../api/types";
import { useSession } from "../auth/session";
import { useLoaded } from "../components/useLoaded";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { useCatalogLists } from "../tree/catalog";
import { ShareForm } from "./ShareForm";
import { mayRevoke, sharesPath } from "./shareModel";
import { ShareTable } from "./ShareTable";

export function SharesPage() {
  const { t } = useI18n();
  const { me, can } = useSession();
  useCatalogLists("channel");
  const [ended, setEnded] = useState(false);
  const [round, setRound] = useState(0);
  const [status, setStatus] = useState<string | null>(null);
  const reload = () => setRound((r) => r + 1);
  const list = useLoaded(() => api<ShareList>(sharesPath(ended)), [ended, round]);
  const decides = can("approvals:decide");

  const revoke = (share: Share) => {
    setStatus(null);
    return api<Share>(`/shares/${share.id}/revoke`, { method: "POST" }).then(
      (revoked) => {
        setStatus(t("shares.revoked", { id: revoked.id }));
        reload();
      },
      (failure: unknown) => list.setError(problemText(t, failure)),
    );
  };

  return (
    <section className="page shares-page" aria-labelledby="shares-title">
      <h2 id="shares-title">{t("shares.title")}</h2>
      <p className="muted">{t("shares.hint")}</p>
      {can("video:export") && <ShareForm onShared={reload} />}
      <div className="toolbar">
        <h3>{t("shares.list")}</h3>
        <label className="check">
          <input type="checkbox" name="ended" checked={ended} onChange={(e) => setEnded(e.target.checked)} />
          {t("shares.withEnded")}
        </label>
      </div>
      {status && <p role="status" data-testid="shares-status">{status}</p>}
      {list.error && <p className="error" role="alert">{list.error}</p>}
      <ShareTable
        rows={list.value?.items ?? []}
        loading={list.value === null && list.error === null}
        empty={ended ? t("shares.noneAtAll") : t("shares.none")}
        mayRevoke={(share) => mayRevoke(share, me?.username, decides)}
        onRevoke={revoke}
      />
    </section>
  );
}
