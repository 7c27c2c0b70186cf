// The organisation a page is about: the one in its address (?org=), else the top one the caller
// sees; and a gate that shows such a page only once the organisations are loaded (its form's first
// choice is the top one, and a choice made before they arrived would be overwritten by it).

import { useMemo } from "react";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { useLocation } from "../shell/router";
import { useCatalogLists } from "../tree/catalog";
import { byCode } from "./OrgSelect";

export function useOrgChoice() {
  const { organisations } = useCatalogLists("organisation");
  const { query } = useLocation();
  const sorted = useMemo(() => byCode(organisations.values()), [organisations]);
  const top = sorted.find((o) => !o.parent_id || !organisations.has(o.parent_id));
  return { organisations, sorted, query, org: query.get("org") ?? top?.id ?? "" };
}

export function OrganisationsLoaded({ children }: { children: () => ReactNode }) {
  const { t } = useI18n();
  const { ready, error } = useCatalogLists("organisation");
  if (!ready && error != null) return <p className="page error" role="alert">{problemText(t, error)}</p>;
  if (!ready) return <p className="page muted">{t("common.loading")}</p>;
  return children();
}
