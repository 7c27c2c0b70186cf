// The choice of a channel for a page that edits one channel at a time (its rules, its masks):
// every channel of the catalog by ID; picking one opens `page?channel=ID`, and the page reads
// which channel it is about, and its name, from there.

import { navigate, useLocation } from "../shell/router";
import { useCatalogLists } from "../tree/catalog";
import { Field } from "./Field";

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
        {[...channels.values()].sort((a, b) => a.id.localeCompare(b.id)).map((c) => (
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
