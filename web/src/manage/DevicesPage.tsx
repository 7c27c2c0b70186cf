// Devices: what registers by SIP (cameras, NVRs, lower platforms); add one, set its transport.

import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Device } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { useCatalogLists } from "../tree/catalog";
import { Field, ServerError } from "../components/Field";
import { checkDeviceId } from "./gbid";
import { useSubmit } from "./useSubmit";
import { ConfirmButton } from "../components/ConfirmButton";
import { OrgSelect } from "../components/OrgSelect";

export function DevicesPage() {
  const { t, time } = useI18n();
  const { devices, organisations, reload } = useCatalogLists("device", "organisation");
  const submit = useSubmit();
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const [org, setOrg] = useState("");
  const [transport, setTransport] = useState<Device["transport"]>("udp");
  const [manufacturer, setManufacturer] = useState("");
  const [touched, setTouched] = useState(false);
  const rule = id || touched ? checkDeviceId(id) : null;
  const sorted = [...devices.values()].sort((a, b) => a.id.localeCompare(b.id));

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (checkDeviceId(id)) return;
    const body = {
      id,
      name,
      transport,
      organisation_id: org || null,
      manufacturer: manufacturer || null,
    };
    if (await submit.run(() => api("/devices", { json: body }))) {
      setId("");
      setName("");
      setTouched(false);
      reload();
    }
  };
  const patch = async (deviceId: string, changes: Partial<Device>) => {
    if (await submit.run(() => api(`/devices/${deviceId}`, { method: "PATCH", json: changes }))) reload();
  };
  const remove = async (deviceId: string) => {
    if (await submit.run(() => api(`/devices/${deviceId}`, { method: "DELETE" }))) reload();
  };

  return (
    <section className="page" aria-labelledby="devices-title">
      <h2 id="devices-title">{t("nav.devices")}</h2>
      <form className="form grid-form" onSubmit={create} noValidate aria-label={t("manage.addDevice")}>
        <h3>{t("manage.addDevice")}</h3>
        <Field
          label={t("device.id")}
          name="device-id"
          value={id}
          inputMode="numeric"
          maxLength={20}
          onChange={(e) => setId(e.target.value.trim())}
          onBlur={() => setTouched(true)}
          error={rule ? t(rule.key, rule.params) : null}
          required
        />
        <Field label={t("common.name")} name="device-name" value={name} onChange={(e) => setName(e.target.value)} required />
        <OrgSelect codeFirst label={t("common.organisation")} organisations={organisations.values()} value={org} onChange={setOrg} none="—" />
        <Field label={t("device.transport")}>
          <select value={transport} onChange={(e) => setTransport(e.target.value as Device["transport"])} aria-label={t("device.transport")}>
            <option value="udp">UDP</option>
            <option value="tcp">TCP</option>
          </select>
        </Field>
        <Field label={t("device.manufacturer")} value={manufacturer} onChange={(e) => setManufacturer(e.target.value)} />
        <button type="submit" className="primary" disabled={submit.busy}>{t("common.add")}</button>
        <ServerError message={submit.error} />
      </form>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("common.id")}</th>
            <th scope="col">{t("common.name")}</th>
            <th scope="col">{t("common.status")}</th>
            <th scope="col">{t("device.transport")}</th>
            <th scope="col">{t("device.address")}</th>
            <th scope="col">{t("device.keepalive")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((device) => (
            <tr key={device.id}>
              <td className="mono">{device.id}</td>
              <td>{device.name}</td>
              <td>
                <span className={`badge ${device.online ? "on" : "off"}`}>
                  {device.online ? t("status.online") : t("status.offline")}
                </span>
              </td>
              <td>
                <select
                  value={device.transport}
                  aria-label={t("device.transport")}
                  onChange={(e) => void patch(device.id, { transport: e.target.value as Device["transport"] })}
                >
                  <option value="udp">UDP</option>
                  <option value="tcp">TCP</option>
                </select>
              </td>
              <td className="mono">{device.address ?? "—"}</td>
              <td>{device.last_keepalive ? time(device.last_keepalive) : "—"}</td>
              <td className="actions">
                <ConfirmButton question={t("manage.confirmDelete", { id: device.id })} onConfirm={() => remove(device.id)}>{t("common.delete")}</ConfirmButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
