// Where a report page stands before its figures show: no organisation picked yet, the load
// failed (the reason in words), or it is loading.

import { useI18n } from "../i18n/I18n";

interface Props {
  picked: boolean;
  loaded: boolean;
  error: string | null;
}

export function ReportStatus({ picked, loaded, error }: Props) {
  const { t } = useI18n();
  return (
    <>
      {!picked && <p className="muted">{t("report.pick")}</p>}
      {error && <p className="error" role="alert">{t("error.withDetail", { detail: error })}</p>}
      {picked && !loaded && !error && <p className="muted">{t("common.loading")}</p>}
    </>
  );
}
