// Upper platforms (上级平台): the platforms this node registers to as a lower platform, with
// live state (registered, last error, counters), the add/edit form, the share tree editor and
// the shared half of the networking rate.

import { useCallback, useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Answer, ItemOf } from "../api/types";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n/I18n";
import { problemText, reasonText } from "../i18n/problems";
import { Field, ServerError } from "../components/Field";
import { checkDeviceId } from "../manage/gbid";
import { useSubmit } from "../manage/useSubmit";
import { UpperShares } from "./UpperShares";
import "./upper.css";
import { ConfirmButton } from "../components/ConfirmButton";
import { DataTable } from "../components/DataTable";
import { linkColumns } from "./linkColumns";
import { usePolled } from "./usePolled";

export type UpperPlatform = ItemOf<Answer<"/api/v1/upper-platforms">>;
type NetworkingRate = Answer<"/api/v1/upper-platforms/networking-rate">;

/** Registration state and counters change on their own: poll them. */
const REFRESH_MS = 5000;

const BLANK = {
  sip_id: "",
  domain: "",
  name: "",
  host: "",
  port: "5060",
  transport: "udp",
  password: "",
  edition: "2016",
  charset: "GB2312",
  keepalive_interval: "60",
  register_expires: "3600",
  items_per_message: "20",
  share_all: false,
};
type Draft = typeof BLANK;

function draftOf(p: UpperPlatform): Draft {
  return {
    sip_id: p.sip_id,
    domain: p.domain,
    name: p.name,
    host: p.host ?? "",
    port: String(p.port ?? ""),
    transport: p.transport,
    password: "",
    edition: p.edition,
    charset: p.charset,
    keepalive_interval: String(p.keepalive_interval),
    register_expires: String(p.register_expires),
    items_per_message: String(p.items_per_message),
    share_all: p.share_all,
  };
}

export function UpperPlatformsPage() {
  const { t, time } = useI18n();
  const { can } = useSession();
  const submit = useSubmit();
  const [platforms, setPlatforms] = useState<UpperPlatform[] | null>(null);
  const [rate, setRate] = useState<NetworkingRate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [sharing, setSharing] = useState<UpperPlatform | null>(null);
  const [draft, setDraft] = useState<Draft>(BLANK);
  const [touched, setTouched] = useState(false);

  const load = useCallback(async () => {
    try {
      setPlatforms(await api<UpperPlatform[]>("/upper-platforms"));
      setRate(await api<NetworkingRate>("/upper-platforms/networking-rate"));
      setError(null);
    } catch (failure) {
      setError(problemText(t, failure));
    }
  }, []);
  usePolled(load, REFRESH_MS);

  const sipRule = draft.sip_id || touched ? checkDeviceId(draft.sip_id) : null;
  const domainBad = (draft.domain || touched) && !/^[0-9]{10}$/.test(draft.domain);
  const set = (name: keyof Draft) => (event: { target: { value: string } }) =>
    setDraft({ ...draft, [name]: event.target.value });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (checkDeviceId(draft.sip_id) || !/^[0-9]{10}$/.test(draft.domain)) return;
    const body: Record<string, unknown> = {
      sip_id: draft.sip_id,
      domain: draft.domain,
      host: draft.host,
      port: Number(draft.port),
      transport: draft.transport,
      edition: draft.edition,
      charset: draft.charset,
      keepalive_interval: Number(draft.keepalive_interval),
      register_expires: Number(draft.register_expires),
      items_per_message: Number(draft.items_per_message),
      share_all: draft.share_all,
    };
    if (draft.name) body.name = draft.name;
    if (draft.password) body.password = draft.password;
    const request =
      editing === null
        ? () => api("/upper-platforms", { json: body })
        : () => api(`/upper-platforms/${editing}`, { method: "PATCH", json: body });
    if (await submit.run(request)) {
      setDraft(BLANK);
      setEditing(null);
      setTouched(false);
      await load();
    }
  };
  const remove = async (p: UpperPlatform) => {
    if (await submit.run(() => api(`/upper-platforms/${p.id}`, { method: "DELETE" }))) {
      if (sharing?.id === p.id) setSharing(null);
      await load();
    }
  };
  const edit = (p: UpperPlatform) => {
    setEditing(p.id);
    setDraft(draftOf(p));
  };
  const when = (value: string | null) => (value ? time(value) : "—");
  const link = linkColumns<UpperPlatform>(t, "upper-counters");

  return (
    <section className="page" aria-labelledby="upper-title">
      <h2 id="upper-title">{t("nav.upperPlatforms")}</h2>
      <p className="muted">{t("upper.intro")}</p>
      {rate && (
        <p data-testid="networking-rate">
          {t("upper.rate", {
            shared: rate.shared_online,
            channels: rate.channels,
            rate: rate.rate === null ? "—" : `${(rate.rate * 100).toFixed(1)} %`,
          })}
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {platforms === null ? (
        <p className="muted">{t("common.loading")}</p>
      ) : (
        <DataTable
          testId="upper-platforms"
          caption={platforms.length ? t("upper.count", { count: platforms.length }) : t("upper.none")}
          rows={platforms}
          rowKey={(p) => p.id}
          rowProps={(p) => ({ "data-id": p.sip_id })}
          columns={[
            link.sipId,
            link.name,
            {
              key: "status",
              header: t("common.status"),
              cell: (p) => (
                <span className={`badge ${p.registered ? "on" : "off"}`}>
                  {p.enabled ? (p.registered ? t("upper.registered") : t("upper.unregistered")) : t("upper.disabled")}
                </span>
              ),
            },
            link.address,
            { key: "registered", header: t("upper.lastRegistered"), cell: (p) => when(p.last_registered_at) },
            {
              key: "error",
              header: t("upper.lastError"),
              cellProps: () => ({ "data-testid": "upper-last-error" }),
              cell: (p) => (p.last_error === null ? "—" : reasonText(t, p.last_error_code ?? "link.down", p.last_error_params, "problem.link.down")),
            },
            link.counters,
            {
              key: "actions",
              header: t("common.actions"),
              className: "actions",
              cell: (p) => (
                <>
                  <button type="button" onClick={() => setSharing(sharing?.id === p.id ? null : p)} aria-expanded={sharing?.id === p.id}>
                    {t("upper.shares")}
                  </button>
                  {can("users:manage") && (
                    <>
                      <button type="button" onClick={() => edit(p)}>{t("common.edit")}</button>
                      <ConfirmButton question={t("upper.confirmDelete", { id: p.sip_id })} onConfirm={() => remove(p)}>
                        {t("common.delete")}
                      </ConfirmButton>
                    </>
                  )}
                </>
              ),
            },
          ]}
        />
      )}
      {can("users:manage") && (
        <form className="form grid-form" onSubmit={save} noValidate aria-label={editing === null ? t("upper.add") : t("upper.edit")}>
          <h3>{editing === null ? t("upper.add") : t("upper.edit")}</h3>
          <Field label={t("lower.sipId")} name="sip-id" value={draft.sip_id} onChange={set("sip_id")} error={sipRule ? t(sipRule.key, sipRule.params) : null} />
          <Field label={t("upper.domain")} name="domain" value={draft.domain} onChange={set("domain")} error={domainBad ? t("upper.domainRule") : null} />
          <Field label={t("common.name")} name="name" value={draft.name} onChange={set("name")} />
          <Field label={t("upper.host")} name="host" value={draft.host} onChange={set("host")} />
          <Field label={t("upper.port")} name="port" type="number" value={draft.port} onChange={set("port")} />
          <Field label={t("upper.transport")}>
            <select name="transport" value={draft.transport} onChange={set("transport")} aria-label={t("upper.transport")}>
              <option value="udp">UDP</option>
              <option value="tcp">TCP</option>
            </select>
          </Field>
          <Field label={t("upper.password")} name="password" type="password" autoComplete="new-password" value={draft.password} onChange={set("password")} placeholder={editing === null ? "" : t("upper.passwordKeep")} />
          <Field label={t("upper.edition")}>
            <select name="edition" value={draft.edition} onChange={set("edition")} aria-label={t("upper.edition")}>
              <option value="2016">GB/T 28181-2016</option>
              <option value="2022">GB/T 28181-2022</option>
            </select>
          </Field>
          <Field label={t("upper.charset")}>
            <select name="charset" value={draft.charset} onChange={set("charset")} aria-label={t("upper.charset")}>
              {["GB2312", "GB18030", "GBK", "UTF-8"].map((c) => (
                <option key={c} value={c} translate="no">{c}</option>
              ))}
            </select>
          </Field>
          <Field label={t("upper.keepalive")} name="keepalive" type="number" value={draft.keepalive_interval} onChange={set("keepalive_interval")} />
          <Field label={t("upper.expires")} name="expires" type="number" value={draft.register_expires} onChange={set("register_expires")} />
          <Field label={t("upper.perMessage")} name="per-message" type="number" value={draft.items_per_message} onChange={set("items_per_message")} />
          <label className="check">
            <input type="checkbox" checked={draft.share_all} onChange={(e) => setDraft({ ...draft, share_all: e.target.checked })} />
            {t("upper.shareAll")}
          </label>
          <ServerError message={submit.error} />
          <div className="form-buttons">
            <button type="submit" disabled={submit.busy}>{editing === null ? t("common.add") : t("common.save")}</button>
            {editing !== null && (
              <button type="button" onClick={() => { setEditing(null); setDraft(BLANK); }}>
                {t("common.cancel")}
              </button>
            )}
          </div>
        </form>
      )}
      {sharing && <UpperShares platform={sharing} editable={can("users:manage")} onSaved={load} />}
    </section>
  );
}
