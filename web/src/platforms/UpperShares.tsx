// What one upper platform may see: virtual groups (215/216, with what is under them),
// organisation subtrees (sent as civil-code nodes) and channels one by one, each channel with an
// optional outward ID and the group it hangs under there. Saved as one list; the server checks
// every ID by the GB rules and the editor's scope.

import { useEffect, useMemo, useState } from "react";
import { api, listAll } from "../api/client";
import type { Answer, ItemOf, Organisation } from "../api/types";
import { DataTable } from "../components/DataTable";
import { ServerError } from "../components/Field";
import { useI18n } from "../i18n/I18n";
import { checkChannelId } from "../manage/gbid";
import { useSubmit } from "../manage/useSubmit";
import { useCatalog } from "../tree/catalog";
import type { UpperPlatform } from "./UpperPlatformsPage";

/** A share as the editor holds it: every field present (null: none). */
type Entry = Required<Answer<"/api/v1/upper-platforms/{platform_id}/shares">["entries"][number]>;
type Kind = Entry["kind"];
type VirtualGroup = ItemOf<Answer<"/api/v1/virtual-groups">>;

interface Props {
  platform: UpperPlatform;
  editable: boolean;
  onSaved: () => void;
}

const key = (kind: Kind, id: string) => `${kind}:${id}`;

/** Parents before children, with their depth, for an indented list. */
function nested<T extends { id: string; parent_id: string | null }>(nodes: T[]): [T, number][] {
  const ids = new Set(nodes.map((n) => n.id));
  const out: [T, number][] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const node of nodes.filter((n) => (n.parent_id !== null && ids.has(n.parent_id) ? n.parent_id : null) === parent)) {
      out.push([node, depth]);
      if (depth < 32) walk(node.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export function UpperShares({ platform, editable, onSaved }: Props) {
  const { t } = useI18n();
  const { organisations, channels } = useCatalog();
  const submit = useSubmit();
  const [entries, setEntries] = useState<Map<string, Entry> | null>(null);
  const [groups, setGroups] = useState<VirtualGroup[]>([]);

  useEffect(() => {
    let live = true;
    void submit.run(async () => {
      const [shares, all] = await Promise.all([
        api<{ entries: Entry[] }>(`/upper-platforms/${platform.id}/shares`),
        listAll<VirtualGroup>("/virtual-groups"),
      ]);
      if (!live) return;
      setEntries(new Map(shares.entries.map((e) => [key(e.kind, e.target_id), e])));
      setGroups(all);
    });
    return () => {
      live = false;
    };
  }, [platform.id]);

  const orgTree = useMemo(() => nested<Organisation>([...organisations.values()]), [organisations]);
  const groupTree = useMemo(() => nested(groups), [groups]);
  const sortedChannels = useMemo(() => [...channels.values()].sort((a, b) => a.id.localeCompare(b.id)), [channels]);
  if (entries === null) return <p className="muted">{t("common.loading")}</p>;

  const toggle = (kind: Kind, id: string, on: boolean) => {
    const next = new Map(entries);
    if (on) next.set(key(kind, id), { kind, target_id: id, outward_id: null, parent_group_id: null });
    else next.delete(key(kind, id));
    setEntries(next);
  };
  const change = (id: string, field: "outward_id" | "parent_group_id", value: string) => {
    const entry = entries.get(key("channel", id));
    if (!entry) return;
    setEntries(new Map(entries).set(key("channel", id), { ...entry, [field]: value || null }));
  };
  const bad = [...entries.values()].find((e) => e.outward_id && checkChannelId(e.outward_id));
  const save = async () => {
    const body = { entries: [...entries.values()] };
    if (await submit.run(() => api(`/upper-platforms/${platform.id}/shares`, { method: "PUT", json: body }))) onSaved();
  };
  const outwardCell = (id: string) => {
    const entry = entries.get(key("channel", id));
    const rule = entry?.outward_id ? checkChannelId(entry.outward_id) : null;
    return (
      <>
        {entry && (
          <input
            aria-label={t("upper.outwardIdOf", { id })}
            aria-invalid={rule ? true : undefined}
            value={entry.outward_id ?? ""}
            disabled={!editable}
            onChange={(e) => change(id, "outward_id", e.target.value)}
          />
        )}
        {rule && <span className="field-error" role="alert">{t(rule.key, rule.params)}</span>}
      </>
    );
  };
  const parentCell = (id: string) => {
    const entry = entries.get(key("channel", id));
    return (
      entry && (
        <select
          aria-label={t("upper.parentGroupOf", { id })}
          value={entry.parent_group_id ?? ""}
          disabled={!editable}
          onChange={(e) => change(id, "parent_group_id", e.target.value)}
        >
          <option value="">{t("upper.underVigil")}</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>{`${g.name} (${g.id})`}</option>
          ))}
        </select>
      )
    );
  };
  const box = (kind: Kind, id: string, label: string) => (
    <label className="check">
      <input type="checkbox" disabled={!editable} checked={entries.has(key(kind, id))} onChange={(e) => toggle(kind, id, e.target.checked)} />
      {label}
    </label>
  );

  return (
    <section aria-label={t("upper.sharesOf", { id: platform.sip_id })} data-testid="upper-shares">
      <h3>{t("upper.sharesOf", { id: platform.sip_id })}</h3>
      {platform.share_all && <p className="muted">{t("upper.shareAllNote")}</p>}
      <div className="share-columns">
        <fieldset>
          <legend>{t("upper.groups")}</legend>
          {groupTree.length === 0 && <p className="muted">{t("upper.noGroups")}</p>}
          {groupTree.map(([g, depth]) => (
            <div key={g.id} style={{ paddingInlineStart: `${depth * 1.2}rem` }}>
              {box("virtual_group", g.id, `${g.name} (${g.id})`)}
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("upper.organisations")}</legend>
          {orgTree.map(([o, depth]) => (
            <div key={o.id} style={{ paddingInlineStart: `${depth * 1.2}rem` }}>
              {box("organisation", o.id, `${o.name} (${o.id})`)}
            </div>
          ))}
        </fieldset>
      </div>
      <DataTable
        caption={t("upper.channels")}
        rows={sortedChannels}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ "data-id": c.id })}
        columns={[
          { key: "shared", header: t("upper.shared"), cell: (c) => box("channel", c.id, c.id) },
          { key: "name", header: t("common.name"), cell: (c) => c.name },
          { key: "outward", header: t("upper.outwardId"), cell: (c) => outwardCell(c.id) },
          { key: "parent", header: t("upper.parentGroup"), cell: (c) => parentCell(c.id) },
        ]}
      />
      <ServerError message={submit.error} />
      {editable && (
        <button type="button" onClick={() => void save()} disabled={submit.busy || Boolean(bad)}>
          {t("upper.saveShares")}
        </button>
      )}
    </section>
  );
}
