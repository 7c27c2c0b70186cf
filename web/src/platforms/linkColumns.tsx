// The columns the lower- and upper-platform tables share: the platform's SIP ID, its name, where
// it is reached and its request counters.

import type { Column } from "../components/DataTable";
import type { Translate } from "../i18n/I18n";

interface Link {
  sip_id: string;
  name: string;
  host: string | null;
  port: number | null;
  transport: string;
  counters: { requests: number; streams: number; failures: number };
}

export function linkColumns<P extends Link>(t: Translate, countersTestId: string) {
  const columns = {
    sipId: { key: "sip-id", header: t("lower.sipId"), className: "mono", cell: (p) => p.sip_id },
    name: { key: "name", header: t("common.name"), cell: (p) => p.name },
    address: {
      key: "address",
      header: t("device.address"),
      className: "mono",
      cell: (p) => (p.host ? `${p.transport.toUpperCase()} ${p.host}:${p.port}` : "—"),
    },
    counters: {
      key: "counters",
      header: t("lower.counters"),
      cellProps: () => ({ "data-testid": countersTestId }),
      cell: ({ counters }) => t("lower.countersValue", { requests: counters.requests, streams: counters.streams, failures: counters.failures }),
    },
  } satisfies Record<string, Column<P>>;
  return columns;
}
