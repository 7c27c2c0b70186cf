// Devices: what registers by SIP (cameras, NVRs, lower platforms); add one, set its transport.

import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Device } from "../api/types";
import { DataTable } from "../components/DataTable";
import { Field } from "../components/Field";
import { OnlineBadge } from "../components/OnlineBadge";
import { OrgSelect } from "../components/OrgSelect";
import { useI18n } from "../i18n/I18n";
import { useCatalogLists } from "../tree/catalog";
import { CodeField } from "./CodeField";
import { checkDeviceId } from "./gbid";
import { DeleteButton, ManageSection, rowActions } from "./ManageSection";
import { useSubmit } from "./useSubmit";

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
  const { patch, remove } = rowActions<Device>(submit, "/devices", reload);

  const fields = (
    <>
      <CodeField label={t("device.id")} name="device-id" maxLength={20} value={id} onChange={setId} onTouched={() => setTouched(true)} rule={rule} />
      <Field label={t("common.name")} name="device-name" value={name} onChange={(e) => setName(e.target.value)} required />
      <OrgSelect codeFirst label={t("common.organisation")} organisations={organisations.values()} value={org} onChange={setOrg} none="—" />
      <Field label={t("device.transport")}>
        <TransportSelect value={transport} onChange={setTransport} />
      </Field>
      <Field label={t("device.manufacturer")} value={manufacturer} onChange={(e) => setManufacturer(e.target.value)} />
    </>
  );
  return (
    <ManageSection name="devices" title={t("nav.devices")} addTitle={t("manage.addDevice")} onAdd={create} submit={submit} fields={fields}>
      <DataTable
        rows={sorted}
        rowKey={(device) => device.id}
        columns={[
          { key: "id", header: t("common.id"), className: "mono", cell: (device) => device.id },
          { key: "name", header: t("common.name"), cell: (device) => device.name },
          { key: "status", header: t("common.status"), cell: (device) => <OnlineBadge online={device.online} /> },
          {
            key: "transport",
            header: t("device.transport"),
            cell: (device) => (
              <TransportSelect value={device.transport} onChange={(transport) => void patch(device.id, { transport })} />
            ),
          },
          { key: "address", header: t("device.address"), className: "mono", cell: (device) => device.address ?? "—" },
          { key: "keepalive", header: t("device.keepalive"), cell: (device) => (device.last_keepalive ? time(device.last_keepalive) : "—") },
          {
            key: "actions",
            header: t("common.actions"),
            className: "actions",
            cell: (device) => <DeleteButton id={device.id} onConfirm={() => remove(device.id)} />,
          },
        ]}
      />
    </ManageSection>
  );
}

/** UDP or TCP, the SIP transport of a device. */
function TransportSelect({ value, onChange, ...rest }: { value: Device["transport"]; onChange: (value: Device["transport"]) => void; id?: string }) {
  const { t } = useI18n();
  return (
    <select {...rest} value={value} onChange={(e) => onChange(e.target.value as Device["transport"])} aria-label={t("device.transport")}>
      <option value="udp">UDP</option>
      <option value="tcp">TCP</option>
    </select>
  );
}
