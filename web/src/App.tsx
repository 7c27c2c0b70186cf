// Which page a path shows, once someone is logged in. The map (MapLibre) loads on first use.

import { Suspense, lazy } from "react";
import { AlarmsPage } from "./alarms/AlarmsPage";
import { ApprovalsPage } from "./approvals/ApprovalsPage";
import { AuditPage } from "./audit/AuditPage";
import { AvailabilityPage } from "./availability/AvailabilityPage";
import { FaultsPage } from "./availability/FaultsPage";
import { WorkOrdersPage } from "./availability/WorkOrdersPage";
import { LoginPage } from "./auth/LoginPage";
import { PasswordPage } from "./auth/PasswordPage";
import { useSession } from "./auth/session";
import { useI18n } from "./i18n/I18n";
import { ChannelsPage } from "./manage/ChannelsPage";
import { DevicesPage } from "./manage/DevicesPage";
import { OrganisationsPage } from "./manage/OrganisationsPage";
import { UsersPage } from "./manage/UsersPage";
import { AccessWindowsPage } from "./manage/AccessWindowsPage";
import { MasksPage } from "./masks/MasksPage";
import { PlaybackPage } from "./playback/PlaybackPage";
import { LowerPlatformsPage } from "./platforms/LowerPlatformsPage";
import { UpperPlatformsPage } from "./platforms/UpperPlatformsPage";
import { KpiReportPage } from "./reports/KpiReportPage";
import { RulesPage } from "./rules/RulesPage";
import { VideoSearchPage } from "./search/VideoSearchPage";
import { SharesPage } from "./shares/SharesPage";
import { Layout, NAV, mayOpen } from "./shell/Layout";
import { useLocation } from "./shell/router";
import { CatalogProvider, useCatalogLists } from "./tree/catalog";
import type { Entity } from "./tree/catalog";
import { LiveWall } from "./wall/LiveWall";

const MapPage = lazy(() => import("./map/MapPage").then((m) => ({ default: m.MapPage })));

const PAGES: Record<string, React.ComponentType> = {
  "/": LiveWall,
  "/playback": PlaybackPage,
  "/video-search": VideoSearchPage,
  "/map": MapPage,
  "/alarms": AlarmsPage,
  "/approvals": ApprovalsPage,
  "/shares": SharesPage,
  "/analytics/rules": RulesPage,
  "/manage/organisations": OrganisationsPage,
  "/manage/devices": DevicesPage,
  "/manage/channels": ChannelsPage,
  "/manage/users": UsersPage,
  "/manage/access-windows": AccessWindowsPage,
  "/manage/masks": MasksPage,
  "/reports": KpiReportPage,
  "/availability": AvailabilityPage,
  "/availability/faults": FaultsPage,
  "/availability/work-orders": WorkOrdersPage,
  "/platforms/lower": LowerPlatformsPage,
  "/platforms/upper": UpperPlatformsPage,
  "/audit": AuditPage,
  "/password": PasswordPage,
};

/** Whole lists that pages which do not ask for them themselves need (their forms' choices). */
const LISTS: Record<string, Entity[]> = {
  "/platforms/upper": ["organisation", "channel"],
  "/approvals": ["channel"],
};

function NeedsLists({ path }: { path: string }) {
  useCatalogLists(...(LISTS[path] ?? []));
  return null;
}

function Forbidden() {
  const { t } = useI18n();
  return <p className="page error" role="alert">{t("error.forbiddenPage")}</p>;
}

export function App() {
  const { me, ready, can } = useSession();
  const { t } = useI18n();
  const { path } = useLocation();
  if (!ready) return <p className="page muted">{t("common.loading")}</p>;
  if (!me) return <LoginPage />;
  const item = NAV.find((n) => n.path === path);
  // The landing page for users without live video (auditors) is the first page they may open.
  const landing = path === "/" && !can("video:live") ? NAV.find((n) => mayOpen(n, can)) : null;
  const Page = PAGES[landing?.path ?? path] ?? PAGES["/"];
  const allowed = !item || mayOpen(item, can) || landing;
  return (
    <CatalogProvider>
      <NeedsLists path={landing?.path ?? path} />
      <Layout>
        <Suspense fallback={<p className="page muted">{t("common.loading")}</p>}>
          {allowed ? <Page /> : <Forbidden />}
        </Suspense>
      </Layout>
    </CatalogProvider>
  );
}
