// The form at the top of a report page (the KPI report, the availability dashboard): the
// organisation and the period the report is of, the page's own further choices, and the button
// that shows it. What is chosen stays a draft until shown; the page then puts it in its address.

import type { Dispatch, FormEvent, ReactNode, SetStateAction } from "react";
import type { Organisation } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { OrgSelect } from "./OrgSelect";
import { PeriodPicker } from "./PeriodPicker";
import type { Period } from "./PeriodPicker";

export interface ReportDraft extends Period {
  org: string;
}

interface Props<Draft extends ReportDraft> {
  /** The organisations to choose from, in the order shown. */
  organisations: Organisation[];
  draft: Draft;
  setDraft: Dispatch<SetStateAction<Draft>>;
  onShow: (event: FormEvent) => void;
  /** Whether both ends of the period must be given. */
  periodRequired?: boolean;
  /** The words under the form. */
  hint: string;
  /** The page's further choices, after the period. */
  children?: ReactNode;
}

export function ReportChoice<Draft extends ReportDraft>({ organisations, draft, setDraft, onShow, periodRequired = false, hint, children }: Props<Draft>) {
  const { t } = useI18n();
  return (
    <form className="form grid-form filters" onSubmit={onShow} aria-label={t("report.choose")}>
      <OrgSelect name="org" label={t("report.organisation")} organisations={organisations} value={draft.org} onChange={(org) => setDraft((d) => ({ ...d, org }))} />
      <PeriodPicker required={periodRequired} labels={[t("report.from"), t("report.to")]} value={draft} onChange={(period) => setDraft((d) => ({ ...d, ...period }))} />
      {children}
      <button type="submit" className="primary">{t("report.show")}</button>
      <p className="muted hint">{hint}</p>
    </form>
  );
}
