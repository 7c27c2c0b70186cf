// Lower platforms (下级平台): type-200 devices registered with this node, with live state
// (online, registration, last keepalive), their counts and counters (requests, streams,
// failures), the catalog tree each one sent, and removing one with the tree it brought in.

import { useCallback, useEffect, useState } from "react";
import { api } from "../api/client";
import type { Answer, ItemOf } from "../api/types";
import { useSession } from "../auth/session";
import { ConfirmButton } from "../components/ConfirmButton";
import { DataTable } from "../components/DataTable";
import { OnlineBadge } from "../components/OnlineBadge";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { linkColumns } from "./linkColumns";
import { LowerTree } from "./LowerTree";
import { usePolled } from "./usePolled";

type LowerPlatform = ItemOf<Answer<"/api/v1/lower-platforms">>;
type LowerPlatformDetail = Answer<"/api/v1/lower-platforms/{platform_id}">;

/** Live state is polled: registrations, keepalives and counters change without an event. */
const REFRESH_MS = 5000;

export function LowerPlatformsPage() {
  const { t, time } = useI18n();
  const { can } = useSession();
  const [platforms, setPlatforms] = useState<LowerPlatform[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [detail, setDetail] = useState<LowerPlatformDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setPlatforms(await api<LowerPlatform[]>("/lower-platforms"));
      setError(null);
    } catch (failure) {
      setError(problemText(t, failure));
    }
  }, []);
  usePolled(load, REFRESH_MS);
  useEffect(() => {
    if (selected === null) {
      setDetail(null);
      return;
    }
    let live = true;
    api<LowerPlatformDetail>(`/lower-platforms/${selected}`)
      .then((body) => live && setDetail(body))
      .catch((failure) => live && setError(problemText(t, failure)));
    return () => {
      live = false;
    };
  }, [selected, platforms]);

  const remove = async (platform: LowerPlatform) => {
    try {
      await api(`/lower-platforms/${platform.id}`, { method: "DELETE" });
      if (selected === platform.id) setSelected(null);
      await load();
    } catch (failure) {
      setError(problemText(t, failure));
    }
  };
  const when = (value: string | null) => (value ? time(value) : "—");
  const link = linkColumns<LowerPlatform>(t, "lower-counters");

  return (
    <section className="page" aria-labelledby="lower-title">
      <h2 id="lower-title">{t("nav.lowerPlatforms")}</h2>
      <p className="muted">{t("lower.intro")}</p>
      {error && <p className="error" role="alert">{error}</p>}
      {platforms === null ? (
        <p className="muted">{t("common.loading")}</p>
      ) : (
        <DataTable
          testId="lower-platforms"
          caption={platforms.length ? t("lower.count", { count: platforms.length }) : t("lower.none")}
          rows={platforms}
          rowKey={(p) => p.id}
          rowProps={(p) => ({ "data-id": p.sip_id, "aria-selected": selected === p.id })}
          columns={[
            link.sipId,
            link.name,
            { key: "status", header: t("common.status"), cell: (p) => <OnlineBadge online={p.online} /> },
            link.address,
            { key: "registered", header: t("lower.registeredAt"), cell: (p) => when(p.registered_at) },
            { key: "keepalive", header: t("device.keepalive"), cell: (p) => when(p.last_keepalive) },
            {
              key: "contents",
              header: t("lower.contents"),
              cell: (p) => t("lower.contentsValue", { devices: p.devices, online: p.channels_online, channels: p.channels, groups: p.groups }),
            },
            link.counters,
            {
              key: "actions",
              header: t("common.actions"),
              className: "actions",
              cell: (p) => (
                <>
                  <button type="button" onClick={() => setSelected(selected === p.id ? null : p.id)} aria-expanded={selected === p.id}>
                    {t("lower.showTree")}
                  </button>
                  {can("catalog:write") && (
                    <ConfirmButton question={t("lower.confirmDelete", { id: p.sip_id })} onConfirm={() => remove(p)}>
                      {t("common.delete")}
                    </ConfirmButton>
                  )}
                </>
              ),
            },
          ]}
        />
      )}
      {detail && (
        <section aria-label={t("lower.tree", { id: detail.sip_id })}>
          <h3>{t("lower.tree", { id: detail.sip_id })}</h3>
          <LowerTree platformId={detail.sip_id} groups={detail.tree_groups} devices={detail.tree_devices} channels={detail.tree_channels} regions={detail.tree_regions} />
        </section>
      )}
    </section>
  );
}
