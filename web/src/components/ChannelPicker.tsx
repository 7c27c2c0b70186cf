// The choice of a channel for a page that edits one channel at a time (its rules, its masks):
// every channel of the catalog by ID; picking one opens `page?channel=ID`, and the page reads
// which channel it is about, and its name, from there. ChannelsPicker chooses several for a form
// (a search) and holds them in the form.

import type { Channel } from "../api/types";
import { navigate, useLocation } from "../shell/router";
import { useCatalogLists } from "../tree/catalog";
import { Field } from "./Field";

/** The channels ordered by their IDs. */
function byId(channels: Iterable<Channel>): Channel[] {
  return [...channels].sort((a, b) => a.id.localeCompare(b.id));
}

interface Props {
  /** The channel shown now; "" for none. */
  current: string;
  /** The page opened for the chosen channel, e.g. `/manage/masks`. */
  page: string;
  label: string;
  /** The first option's words, standing for no channel chosen. */
  none: string;
}

export function ChannelPicker({ current, page, label, none }: Props) {
  const { channels } = useCatalogLists("channel");
  return (
    <Field label={label}>
      <select name="channel" value={current} onChange={(e) => navigate(`${page}?channel=${e.target.value}`)}>
        <option value="">{none}</option>
        {byId(channels.values()).map((c) => (
          <option key={c.id} value={c.id}>{c.id} {c.name}</option>
        ))}
      </select>
    </Field>
  );
}

/** The channel the page's `?channel=` names ("" for none) and its name (its ID until the catalog
 * has it). */
export function useChosenChannel(): { channelId: string; name: string } {
  const { query } = useLocation();
  const channelId = query.get("channel") ?? "";
  const { channels } = useCatalogLists("channel");
  return { channelId, name: channels.get(channelId)?.name ?? channelId };
}

interface ManyProps {
  /** The IDs chosen. */
  value: string[];
  onChange: (ids: string[]) => void;
  label: string;
  name?: string;
}

/** Several channels of the catalog chosen in a list (Ctrl or Shift with a click, or the keys). */
export function ChannelsPicker({ value, onChange, label, name = "channels" }: ManyProps) {
  const { channels } = useCatalogLists("channel");
  return (
    <Field label={label}>
      <select multiple name={name} value={value} onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}>
        {byId(channels.values()).map((c) => (
          <option key={c.id} value={c.id}>{c.id} {c.name}</option>
        ))}
      </select>
    </Field>
  );
}
