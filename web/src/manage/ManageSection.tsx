// What the management pages (organisations, devices, channels, users) share: the page with its
// title, the form that adds one row, the list below it, and the change and delete of one row,
// each of which reloads the list when the server accepts it.

import type { FormEvent, ReactNode } from "react";
import { api } from "../api/client";
import { ConfirmButton } from "../components/ConfirmButton";
import { ServerError } from "../components/Field";
import { useI18n } from "../i18n/I18n";
import type { useSubmit } from "./useSubmit";

type Submit = ReturnType<typeof useSubmit>;

interface Props {
  /** Names the title's element (`<name>-title`), which labels the section. */
  name: string;
  title: string;
  /** The add form's heading and label. */
  addTitle: string;
  onAdd: (event: FormEvent) => unknown;
  submit: Submit;
  /** The add form's fields, before its button. */
  fields: ReactNode;
  /** What follows the form: the list, an editor. */
  children: ReactNode;
}

export function ManageSection({ name, title, addTitle, onAdd, submit, fields, children }: Props) {
  const { t } = useI18n();
  return (
    <section className="page" aria-labelledby={`${name}-title`}>
      <h2 id={`${name}-title`}>{title}</h2>
      <form className="form grid-form" onSubmit={onAdd} noValidate aria-label={addTitle}>
        <h3>{addTitle}</h3>
        {fields}
        <button type="submit" className="primary" disabled={submit.busy}>{t("common.add")}</button>
        <ServerError message={submit.error} />
      </form>
      {children}
    </section>
  );
}

/** The delete button of a row, asking first about `id` (what the row is known by). */
export function DeleteButton({ id, onConfirm }: { id: string; onConfirm: () => unknown }) {
  const { t } = useI18n();
  return (
    <ConfirmButton question={t("manage.confirmDelete", { id })} onConfirm={onConfirm}>
      {t("common.delete")}
    </ConfirmButton>
  );
}

/** PATCH or DELETE one row of `collection` (`/devices`) through `submit`, then `reload`. */
export function rowActions<Row>(submit: Submit, collection: string, reload: () => void) {
  const patch = async (id: string | number, changes: Partial<Row>) => {
    if (await submit.run(() => api(`${collection}/${id}`, { method: "PATCH", json: changes }))) reload();
  };
  const remove = async (id: string | number) => {
    if (await submit.run(() => api(`${collection}/${id}`, { method: "DELETE" }))) reload();
  };
  return { patch, remove };
}
