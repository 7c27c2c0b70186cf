// The catalog the console shows: organisations, devices, channels and virtual groups, kept
// current by events.

import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, api, listAll } from "../api/client";
import type { Channel, Device, Organisation } from "../api/types";
import { useSession } from "../auth/session";
import { openEvents } from "./eventSocket";
import type { BusEvent, SocketState } from "./eventSocket";
import { loadGroups } from "./virtualGroups";
import type { GroupCatalog } from "./virtualGroups";

interface CatalogValue {
  organisations: Map<string, Organisation>;
  devices: Map<string, Device>;
  channels: Map<string, Channel>;
  groups: GroupCatalog;
  loading: boolean;
  /** Why the catalog could not be loaded (an ApiError or a network failure), else null. */
  error: unknown;
  socket: SocketState;
  reload: () => void;
}

const CatalogContext = createContext<CatalogValue | null>(null);

type Entity = "organisation" | "device" | "channel";
const PATHS: Record<Entity, string> = {
  organisation: "/organisations",
  device: "/devices",
  channel: "/channels",
};

function byId<T extends { id: string }>(items: T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

function patched<T>(map: Map<string, T>, id: string, value: T | null): Map<string, T> {
  const next = new Map(map);
  if (value === null) next.delete(id);
  else next.set(id, value);
  return next;
}

export function CatalogProvider({ children }: { children: ReactNode }) {
  const { token } = useSession();
  const [organisations, setOrganisations] = useState(new Map<string, Organisation>());
  const [devices, setDevices] = useState(new Map<string, Device>());
  const [channels, setChannels] = useState(new Map<string, Channel>());
  const [groups, setGroups] = useState<GroupCatalog>({ groups: [], members: new Map() });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [socket, setSocket] = useState<SocketState>("connecting");
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    Promise.all([
      listAll<Organisation>("/organisations"),
      listAll<Device>("/devices"),
      listAll<Channel>("/channels"),
      loadGroups(),
    ])
      .then(([orgs, devs, chans, virtual]) => {
        if (cancelled) return;
        setOrganisations(byId(orgs));
        setDevices(byId(devs));
        setChannels(byId(chans));
        setGroups(virtual);
        setError(null);
      })
      .catch((failure: unknown) => !cancelled && setError(failure))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [generation]);

  const refresh = useCallback(async (entity: Entity, id: string, deleted: boolean) => {
    let value: unknown = null;
    if (!deleted) {
      try {
        value = await api(`${PATHS[entity]}/${id}`);
      } catch (failure) {
        if (!(failure instanceof ApiError) || failure.status === 0) throw failure;
      }
    }
    if (entity === "organisation") setOrganisations((m) => patched(m, id, value as Organisation));
    if (entity === "device") setDevices((m) => patched(m, id, value as Device));
    if (entity === "channel") setChannels((m) => patched(m, id, value as Channel));
  }, []);

  const apply = useCallback(
    (event: BusEvent) => {
      const [kind, entity, op] = event.subject.split(".");
      // A group changed (made, renamed, moved, its channels): read the virtual tree again.
      if (kind === "catalog" && entity === "virtual_group") {
        void loadGroups().then(setGroups, () => undefined);
        return;
      }
      if (kind === "catalog" && entity in PATHS && typeof event.id === "string") {
        void refresh(entity as Entity, event.id, op === "deleted");
        return;
      }
      // Device and channel state from the SIP server: refresh the object it names.
      if (typeof event.channel_id === "string") void refresh("channel", event.channel_id, false);
      else if (typeof event.device_id === "string") void refresh("device", event.device_id, false);
    },
    [refresh],
  );

  useEffect(() => {
    if (!token) return;
    return openEvents(token, apply, setSocket);
  }, [token, apply]);

  const value = useMemo<CatalogValue>(
    () => ({
      organisations,
      devices,
      channels,
      groups,
      loading,
      error,
      socket,
      reload: () => setGeneration((g) => g + 1),
    }),
    [organisations, devices, channels, groups, loading, error, socket],
  );
  return <CatalogContext.Provider value={value}>{children}</CatalogContext.Provider>;
}

export function useCatalog(): CatalogValue {
  const value = useContext(CatalogContext);
  if (!value) throw new Error("useCatalog outside CatalogProvider");
  return value;
}
