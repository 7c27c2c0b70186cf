// The menu's count of requests waiting for the caller's decision beside "审批": polled, and
// reloaded at once when a request changes in this tab.

import { useEffect } from "react";
import { useI18n } from "../i18n/I18n";
import { inboxPath, useInbox } from "./useApprovals";

const POLL_MS = 30_000;

export function ApprovalBadge() {
  const { t } = useI18n();
  const { inbox, reload } = useInbox(inboxPath(false, "pending", 1));
  useEffect(() => {
    const timer = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  if (!inbox) return null;
  const pending = inbox.counts.pending ?? 0;
  return (
    <span className={pending ? "nav-badge" : "nav-badge quiet"} data-testid="approval-badge" data-pending={pending}>
      <span aria-hidden="true">{pending}</span>
      <span className="visually-hidden">{t("approvals.badge", { count: pending })}</span>
    </span>
  );
}
