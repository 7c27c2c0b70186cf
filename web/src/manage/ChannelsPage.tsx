// Channels: add one under a device; edit where it is, where it looks and who owns it, and (for
// those who manage users too) how sensitive its video is; open its analytics rules and its
// privacy masks.

import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Channel } from "../api/types";
import { DataTable } from "../components/DataTable";
import { Field, ServerError } from "../components/Field";
import { OnlineBadge } from "../components/OnlineBadge";
import { useSession } from "../auth/session";
import { useI18n } from "../i18n/I18n";
import { wordOr } from "../i18n/problems";
import type { StringKey } from "../i18n/strings";
import { Link } from "../shell/router";
import { channelOnline } from "../tree/buildTree";
import { useCatalogLists } from "../tree/catalog";
import { CodeField } from "./CodeField";
import { checkChannelId } from "./gbid";
import { LevelSelect } from "./LevelSelect";
import { DeleteButton, ManageSection, rowActions } from "./ManageSection";
import { useSubmit } from "./useSubmit";

type Editable = "longitude" | "latitude" | "heading" | "fov" | "key_area_category" | "industry" | "owner_unit";

const NUMERIC: Partial<Record<Editable, [number, number]>> = {
  longitude: [-180, 180],
  latitude: [-90, 90],
  heading: [0, 360],
  fov: [0, 360],
};
const LABELS: Record<Editable, StringKey> = {
  longitude: "channel.longitude",
  latitude: "channel.latitude",
  heading: "channel.heading",
  fov: "channel.fov",
  key_area_category: "channel.keyArea",
  industry: "channel.industry",
  owner_unit: "channel.owner",
};

function fieldRule(name: Editable, value: string): { key: StringKey; params: Record<string, number> } | null {
  if (value === "") return null;
  const range = NUMERIC[name];
  if (range) {
    const n = Number(value);
    return Number.isFinite(n) && n >= range[0] && n <= range[1]
      ? null
      : { key: "rule.range", params: { min: range[0], max: range[1] } };
  }
  if (name === "industry" && !/^[0-9]{2}$/.test(value)) return { key: "rule.industry", params: {} };
  return null;
}

function ChannelEditor({ channel, onDone }: { channel: Channel; onDone: () => void }) {
  const { t } = useI18n();
  const submit = useSubmit();
  const [values, setValues] = useState<Record<Editable, string>>(() => {
    const initial = {} as Record<Editable, string>;
    (Object.keys(LABELS) as Editable[]).forEach((k) => (initial[k] = channel[k] === null ? "" : String(channel[k])));
    return initial;
  });
  const errors = (Object.keys(LABELS) as Editable[]).map((k) => [k, fieldRule(k, values[k])] as const);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (errors.some(([, e]) => e)) return;
    const changes: Record<string, string | number | null> = {};
    for (const key of Object.keys(LABELS) as Editable[]) {
      const raw = values[key].trim();
      changes[key] = raw === "" ? null : NUMERIC[key] ? Number(raw) : raw;
    }
    if (await submit.run(() => api(`/channels/${channel.id}`, { method: "PATCH", json: changes }))) onDone();
  };

  return (
    <form className="form grid-form editor" onSubmit={save} noValidate aria-label={t("manage.editChannel", { name: channel.name })}>
      <h3>{t("manage.editChannel", { name: channel.name })}</h3>
      {errors.map(([key, error]) => (
        <Field
          key={key}
          label={t(LABELS[key])}
          name={key}
          value={values[key]}
          inputMode={NUMERIC[key] ? "decimal" : undefined}
          onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
          error={error ? t(error.key, error.params) : null}
        />
      ))}
      <button type="submit" className="primary" disabled={submit.busy}>{t("common.save")}</button>
      <button type="button" onClick={onDone}>{t("common.cancel")}</button>
      <ServerError message={submit.error} />
    </form>
  );
}

export function ChannelsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const maySetSensitivity = can("users:manage") && can("catalog:write");
  const { channels, devices, reload } = useCatalogLists("channel", "device");
  const submit = useSubmit();
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const [device, setDevice] = useState("");
  const [touched, setTouched] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const rule = id || touched ? checkChannelId(id) : null;
  const sorted = [...channels.values()].sort((a, b) => a.id.localeCompare(b.id));
  const edited = editing ? channels.get(editing) : undefined;

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (checkChannelId(id) || !device) return;
    if (await submit.run(() => api("/channels", { json: { id, name, device_id: device } }))) {
      setId("");
      setName("");
      setTouched(false);
      reload();
    }
  };
  const { remove } = rowActions<Channel>(submit, "/channels", reload);

  const fields = (
    <>
      <CodeField label={t("channel.id")} name="channel-id" maxLength={20} value={id} onChange={setId} onTouched={() => setTouched(true)} rule={rule} />
      <Field label={t("common.name")} name="channel-name" value={name} onChange={(e) => setName(e.target.value)} required />
      <Field label={t("channel.device")} error={touched && !device ? t("rule.required") : null}>
        <select value={device} onChange={(e) => setDevice(e.target.value)} aria-label={t("channel.device")}>
          <option value="">—</option>
          {[...devices.values()].map((d) => (
            <option key={d.id} value={d.id}>{d.id} {d.name}</option>
          ))}
        </select>
      </Field>
    </>
  );
  return (
    <ManageSection name="channels" title={t("nav.channels")} addTitle={t("manage.addChannel")} onAdd={create} submit={submit} fields={fields}>
      {edited && <ChannelEditor key={edited.id} channel={edited} onDone={() => { setEditing(null); reload(); }} />}
      <DataTable
        rows={sorted}
        rowKey={(c) => c.id}
        columns={[
          { key: "id", header: t("common.id"), className: "mono", cell: (c) => c.id },
          { key: "name", header: t("common.name"), cell: (c) => c.name },
          { key: "status", header: t("common.status"), cell: (c) => <OnlineBadge online={channelOnline(c)} /> },
          {
            key: "position",
            header: t("channel.position"),
            className: "mono",
            cell: (c) => (c.longitude !== null ? `${c.longitude.toFixed(5)}, ${c.latitude?.toFixed(5)}` : "—"),
          },
          { key: "heading", header: t("channel.heading"), cell: (c) => c.heading ?? "—" },
          { key: "fov", header: t("channel.fov"), cell: (c) => c.fov ?? "—" },
          { key: "keyArea", header: t("channel.keyArea"), cell: (c) => (c.key_area_category ? wordOr(t, "category.", c.key_area_category) : "—") },
          { key: "industry", header: t("channel.industry"), className: "mono", cell: (c) => c.industry ?? "—" },
          { key: "owner", header: t("channel.owner"), cell: (c) => c.owner_unit ?? "—" },
          {
            key: "sensitivity",
            header: t("channel.sensitivity"),
            cell: (c) => (
              <LevelSelect
                level={c.sensitivity ?? 0}
                path={`/channels/${c.id}/sensitivity`}
                field="sensitivity"
                label={t("channel.sensitivity")}
                editable={maySetSensitivity}
                submit={submit}
                reload={reload}
              />
            ),
          },
          {
            key: "actions",
            header: t("common.actions"),
            className: "actions",
            cell: (c) => (
              <>
                <Link href={`/analytics/rules?channel=${c.id}`} className="action-link" aria-label={t("rules.openFor", { name: c.name })}>
                  {t("rules.open")}
                </Link>
                <Link href={`/manage/masks?channel=${c.id}`} className="action-link" aria-label={t("masks.openFor", { name: c.name })}>
                  {t("masks.open")}
                </Link>
                <button type="button" onClick={() => setEditing(c.id)}>{t("common.edit")}</button>
                <DeleteButton id={c.id} onConfirm={() => remove(c.id)} />
              </>
            ),
          },
        ]}
      />
    </ManageSection>
  );
}
