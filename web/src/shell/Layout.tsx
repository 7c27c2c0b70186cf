// The frame around every page: navigation by permission, language, the user and logout.

import type { ReactNode } from "react";
import { AlarmBadge } from "../alarms/AlarmBadge";
import { AlarmToasts } from "../alarms/AlarmToasts";
import { ApprovalBadge } from "../approvals/ApprovalBadge";
import type { Permission } from "../api/types";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n/I18n";
import type { StringKey } from "../i18n/strings";
import { LanguageSwitch } from "./LanguageSwitch";
import { Link, useLocation } from "./router";

export interface NavItem {
  path: string;
  label: StringKey;
  /** What opening the page needs: one permission, any of several, or nothing. */
  permission: Permission | Permission[] | null;
}

/** Whether a caller who `can` what it can may open `item`. */
export function mayOpen(item: NavItem, can: (permission: Permission) => boolean): boolean {
  const { permission } = item;
  if (!permission) return true;
  return Array.isArray(permission) ? permission.some(can) : can(permission);
}

export const NAV: NavItem[] = [
  { path: "/", label: "nav.wall", permission: "video:live" },
  { path: "/playback", label: "nav.playback", permission: "video:playback" },
  { path: "/video-search", label: "nav.videoSearch", permission: "video:playback" },
  { path: "/map", label: "nav.map", permission: "catalog:read" },
  { path: "/alarms", label: "nav.alarms", permission: "catalog:read" },
  { path: "/approvals", label: "nav.approvals", permission: ["approvals:decide", "video:export"] },
  { path: "/shares", label: "nav.shares", permission: "catalog:read" },
  { path: "/manage/organisations", label: "nav.organisations", permission: "catalog:write" },
  { path: "/manage/devices", label: "nav.devices", permission: "catalog:write" },
  { path: "/manage/channels", label: "nav.channels", permission: "catalog:write" },
  { path: "/manage/users", label: "nav.users", permission: "users:manage" },
  { path: "/manage/access-windows", label: "nav.accessWindows", permission: "users:manage" },
  { path: "/reports", label: "nav.reports", permission: "catalog:read" },
  { path: "/availability", label: "nav.availability", permission: "catalog:read" },
  { path: "/availability/faults", label: "nav.faults", permission: "catalog:read" },
  { path: "/availability/work-orders", label: "nav.workOrders", permission: "catalog:read" },
  { path: "/platforms/lower", label: "nav.lowerPlatforms", permission: "catalog:read" },
  { path: "/platforms/upper", label: "nav.upperPlatforms", permission: "catalog:read" },
  { path: "/audit", label: "nav.audit", permission: "audit:read" },
];

export function Layout({ children }: { children: ReactNode }) {
  const { t, time } = useI18n();
  const { me, logout, can, expiresAt } = useSession();
  const { path } = useLocation();
  return (
    <div className="shell">
      <a className="skip" href="#main">{t("nav.skip")}</a>
      <header className="topbar">
        <span className="brand">{t("app.title")}</span>
        <nav aria-label={t("nav.main")}>
          <ul>
            {NAV.filter((item) => mayOpen(item, can)).map((item) => (
              <li key={item.path}>
                <Link href={item.path} aria-current={path === item.path ? "page" : undefined}>
                  {t(item.label)}
                  {item.path === "/alarms" && <AlarmBadge />}
                  {item.path === "/approvals" && can("approvals:decide") && <ApprovalBadge />}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user">
          <LanguageSwitch />
          <span className="who" title={expiresAt ? t("session.until", { time: time(expiresAt) }) : undefined}>
            <span translate="no">{me?.username}</span> · {me ? t(`role.${me.role}`) : ""}
          </span>
          <Link href="/password">{t("nav.password")}</Link>
          <button type="button" onClick={() => void logout()}>{t("nav.logout")}</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
      {can("catalog:read") && <AlarmToasts />}
    </div>
  );
}
