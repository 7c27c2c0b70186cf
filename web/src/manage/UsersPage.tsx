// Users and roles: create accounts with organisation scopes, change role and clearance, disable,
// delete.

import { useCallback, useEffect, useState } from "react";
import type { FormEvent } from "react";
import { api, listAll } from "../api/client";
import type { Role, User } from "../api/types";
import { PasswordRule } from "../auth/PasswordRule";
import { ChoiceSelect } from "../components/ChoiceSelect";
import { DataTable } from "../components/DataTable";
import { Field } from "../components/Field";
import { useI18n } from "../i18n/I18n";
import { useCatalogLists } from "../tree/catalog";
import { LevelSelect } from "./LevelSelect";
import { DeleteButton, ManageSection, rowActions } from "./ManageSection";
import { useSubmit } from "./useSubmit";

/** The roles in the order the console offers them (here and on the access-windows page). */
export const ROLES: Role[] = ["admin", "operator", "viewer", "auditor"];

export function UsersPage() {
  const { t } = useI18n();
  const { organisations } = useCatalogLists("organisation");
  const submit = useSubmit();
  const [users, setUsers] = useState<User[]>([]);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [scopes, setScopes] = useState<string[]>([]);
  const usernameRule = username && !/^[A-Za-z0-9_.@-]{1,64}$/.test(username) ? t("rule.username") : null;

  const load = useCallback(() => {
    listAll<User>("/users").then(setUsers, () => setUsers([]));
  }, []);
  useEffect(load, [load]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (usernameRule) return;
    if (await submit.run(() => api("/users", { json: { username, password, role, scopes } }))) {
      setUsername("");
      setPassword("");
      setScopes([]);
      load();
    }
  };
  const { patch, remove } = rowActions<User>(submit, "/users", load);

  const fields = (
    <>
      <Field label={t("login.username")} value={username} autoComplete="off" onChange={(e) => setUsername(e.target.value)} error={usernameRule} required />
      <Field label={t("login.password")} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      <ChoiceSelect label={t("user.role")} choices={ROLES} word={(r) => t(`role.${r}`)} value={role} onChange={setRole} />
      <Field label={t("user.scopes")}>
        <select
          multiple
          value={scopes}
          aria-label={t("user.scopes")}
          onChange={(e) => setScopes([...e.target.selectedOptions].map((o) => o.value))}
        >
          {[...organisations.values()].map((o) => (
            <option key={o.id} value={o.id}>{o.id} {o.name}</option>
          ))}
        </select>
      </Field>
      <p className="muted">{t("user.scopesHint")}</p>
      <PasswordRule />
    </>
  );
  return (
    <ManageSection name="users" title={t("nav.users")} addTitle={t("manage.addUser")} onAdd={create} submit={submit} fields={fields}>
      <DataTable
        rows={users}
        rowKey={(user) => user.id}
        columns={[
          { key: "username", header: t("login.username"), cellProps: () => ({ translate: "no" }), cell: (user) => user.username },
          {
            key: "role",
            header: t("user.role"),
            cell: (user) => (
              <select value={user.role} aria-label={t("user.role")} onChange={(e) => void patch(user.id, { role: e.target.value as Role })}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>{t(`role.${r}`)}</option>
                ))}
              </select>
            ),
          },
          {
            key: "clearance",
            header: t("user.clearance"),
            cell: (user) => (
              <LevelSelect
                level={user.clearance}
                path={`/users/${user.id}/clearance`}
                field="clearance"
                label={t("user.clearance")}
                editable
                submit={submit}
                reload={load}
              />
            ),
          },
          { key: "scopes", header: t("user.scopes"), className: "mono", cell: (user) => (user.scopes.length ? user.scopes.join(", ") : t("user.allScopes")) },
          {
            key: "status",
            header: t("common.status"),
            cell: (user) => (user.disabled ? t("user.disabled") : user.locked ? t("user.locked") : t("user.active")),
          },
          {
            key: "actions",
            header: t("common.actions"),
            className: "actions",
            cell: (user) => (
              <>
                <button type="button" onClick={() => void patch(user.id, { disabled: !user.disabled })}>
                  {user.disabled ? t("user.enable") : t("user.disable")}
                </button>
                <DeleteButton id={user.username} onConfirm={() => remove(user.id)} />
              </>
            ),
          },
        ]}
      />
    </ManageSection>
  );
}
