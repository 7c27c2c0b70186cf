// A page that edits one channel at a time (its analytics rules, its privacy masks): the heading
// names the channel chosen by `?channel=ID`, a picker chooses another, and the page's editor is
// shown for the chosen channel, afresh for each one.

import { Fragment } from "react";
import type { ReactNode } from "react";
import { useI18n } from "../i18n/I18n";
import { ChannelPicker, useChosenChannel } from "./ChannelPicker";

interface Props {
  /** The page's name: its heading is `{name}-title`, its words `{name}.title`, `{name}.titleOf`,
   * `{name}.channel` and `{name}.pickChannel`. */
  name: "rules" | "masks";
  /** Where the page is, e.g. `/manage/masks`. */
  page: string;
  /** The editor of the chosen channel, given its ID and name. */
  editor: (channelId: string, name: string) => ReactNode;
}

export function ChannelPage({ name, page, editor }: Props) {
  const { t } = useI18n();
  const chosen = useChosenChannel();
  const titleId = `${name}-title`;
  return (
    <section className="page" aria-labelledby={titleId}>
      <h2 id={titleId}>{chosen.channelId ? t(`${name}.titleOf`, { name: chosen.name }) : t(`${name}.title`)}</h2>
      <div className={`${name}-top`}>
        <ChannelPicker current={chosen.channelId} page={page} label={t(`${name}.channel`)} none={t(`${name}.pickChannel`)} />
      </div>
      {chosen.channelId && <Fragment key={chosen.channelId}>{editor(chosen.channelId, chosen.name)}</Fragment>}
    </section>
  );
}
