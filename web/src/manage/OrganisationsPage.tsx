// Organisations: administrative regions by civil code, departments and industries below them.

import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../api/client";
import type { Organisation, OrgKind } from "../api/types";
import { ChoiceSelect } from "../components/ChoiceSelect";
import { DataTable } from "../components/DataTable";
import { Field } from "../components/Field";
import { OrgSelect } from "../components/OrgSelect";
import { useI18n } from "../i18n/I18n";
import { useCatalogLists } from "../tree/catalog";
import { CodeField } from "./CodeField";
import { checkOrgId, checkRegionCode } from "./gbid";
import { DeleteButton, ManageSection, rowActions } from "./ManageSection";
import { useSubmit } from "./useSubmit";

const KINDS: OrgKind[] = ["region", "department", "industry"];

export function OrganisationsPage() {
  const { t } = useI18n();
  const { organisations, reload } = useCatalogLists("organisation");
  const submit = useSubmit();
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const [kind, setKind] = useState<OrgKind>("region");
  const [parent, setParent] = useState("");
  const [touched, setTouched] = useState(false);
  const rule = id || touched ? (kind === "region" ? checkRegionCode(id) : checkOrgId(id)) : null;
  const sorted = [...organisations.values()].sort((a, b) => a.id.localeCompare(b.id));

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (rule || (kind === "region" ? checkRegionCode(id) : checkOrgId(id))) return;
    const ok = await submit.run(() =>
      api("/organisations", { json: { id, name, kind, parent_id: parent || null } }),
    );
    if (ok) {
      setId("");
      setName("");
      setTouched(false);
      reload();
    }
  };
  const { patch, remove } = rowActions<Organisation>(submit, "/organisations", reload);
  const rename = async (orgId: string, current: string) => {
    const next = window.prompt(t("manage.renamePrompt"), current);
    if (next && next !== current) await patch(orgId, { name: next });
  };

  const fields = (
    <>
      <ChoiceSelect label={t("org.kind")} choices={KINDS} word={(k) => t(`org.kind.${k}`)} value={kind} onChange={setKind} />
      <CodeField label={kind === "region" ? t("org.civilCode") : t("org.id")} name="id" value={id} onChange={setId} onTouched={() => setTouched(true)} rule={rule} />
      <Field label={t("common.name")} name="name" value={name} onChange={(e) => setName(e.target.value)} required />
      <OrgSelect codeFirst label={t("org.parent")} organisations={sorted} value={parent} onChange={setParent} none={t("org.noParent")} />
    </>
  );
  return (
    <ManageSection name="orgs" title={t("nav.organisations")} addTitle={t("manage.addOrganisation")} onAdd={create} submit={submit} fields={fields}>
      <DataTable
        rows={sorted}
        rowKey={(org) => org.id}
        columns={[
          { key: "id", header: t("common.id"), className: "mono", cell: (org) => org.id },
          { key: "name", header: t("common.name"), cell: (org) => org.name },
          { key: "kind", header: t("org.kind"), cell: (org) => t(`org.kind.${org.kind}`) },
          { key: "parent", header: t("org.parent"), className: "mono", cell: (org) => org.parent_id ?? "—" },
          {
            key: "actions",
            header: t("common.actions"),
            className: "actions",
            cell: (org) => (
              <>
                <button type="button" onClick={() => void rename(org.id, org.name)}>{t("manage.rename")}</button>
                <DeleteButton id={org.id} onConfirm={() => remove(org.id)} />
              </>
            ),
          },
        ]}
      />
    </ManageSection>
  );
}
