// Online or offline, as a coloured badge in a table cell.

import { useI18n } from "../i18n/I18n";

export function OnlineBadge({ online }: { online: boolean }) {
  const { t } = useI18n();
  return <span className={`badge ${online ? "on" : "off"}`}>{online ? t("status.online") : t("status.offline")}</span>;
}
