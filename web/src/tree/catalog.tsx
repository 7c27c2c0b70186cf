// The catalog the pages share, loaded on demand: nothing is fetched when the console opens.
// The resource tree reads its levels itself (./treeData); a page that needs whole lists (a
// management table, a form's choices) asks for them with useCatalogLists, and a page that
// shows a few channels by ID (the wall's cells) asks for those with useChannels. Bus events keep
// what was loaded current and reach the tree through subscribe.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, api, listAll } from "../api/client";
import type { Channel, Device, Organisation } from "../api/types";
import { useSession } from "../auth/session";
import { useLocation } from "../shell/router";
import { openEvents } from "./eventSocket";
import type { BusEvent, SocketState } from "./eventSocket";

export type Entity = "organisation" | "device" | "channel";
const PATHS: Record<Entity, string> = {
  organisation: "/organisations",
  device: "/devices",
  channel: "/channels",
};

type Listener = (event: BusEvent) => void;

interface CatalogValue {
  /** Loaded lists (after useCatalogLists) and channels looked up by ID (after useChannels). */
  organisations: Map<string, Organisation>;
  devices: Map<string, Device>;
  channels: Map<string, Channel>;
  /** A list asked for is still loading. */
  loading: boolean;
  /** The lists loaded at least once. */
  loaded: Set<Entity>;
  /** Why a list could not be loaded (an ApiError or a network failure), else null. */
  error: unknown;
  socket: SocketState;
  /** Read the lists asked for again. */
  reload: () => void;
  need: (entities: Entity[]) => void;
  want: (channelIds: string[]) => void;
  subscribe: (listener: Listener) => () => void;
}

const CatalogContext = createContext<CatalogValue | null>(null);

function patched<T>(map: Map<string, T>, id: string, value: T | null): Map<string, T> {
  const next = new Map(map);
  if (value === null) next.delete(id);
  else next.set(id, value);
  return next;
}

export function CatalogProvider({ children }: { children: ReactNode }) {
  const { token } = useSession();
  const { query } = useLocation();
  const [organisations, setOrganisations] = useState(new Map<string, Organisation>());
  const [devices, setDevices] = useState(new Map<string, Device>());
  const [channels, setChannels] = useState(new Map<string, Channel>());
  const [needed, setNeeded] = useState<Set<Entity>>(new Set());
  const [pending, setPending] = useState(0);
  const [loadedLists, setLoadedLists] = useState<Set<Entity>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [socket, setSocket] = useState<SocketState>("connecting");
  const [generation, setGeneration] = useState(0);
  const loaded = useRef(new Map<Entity, number>()); // entity → generation it was loaded at
  const asked = useRef(new Set<string>()); // channel IDs looked up (or being looked up)
  const listeners = useRef(new Set<Listener>());

  const setters = useMemo(
    () => ({
      organisation: (items: unknown[]) => setOrganisations(new Map((items as Organisation[]).map((o) => [o.id, o]))),
      device: (items: unknown[]) => setDevices(new Map((items as Device[]).map((d) => [d.id, d]))),
      channel: (items: unknown[]) => setChannels(new Map((items as Channel[]).map((c) => [c.id, c]))),
    }),
    [],
  );

  useEffect(() => {
    for (const entity of needed) {
      if (loaded.current.get(entity) === generation) continue;
      loaded.current.set(entity, generation);
      setPending((n) => n + 1);
      listAll<unknown>(PATHS[entity])
        .then((items) => {
          setters[entity](items);
          setLoadedLists((prev) => (prev.has(entity) ? prev : new Set(prev).add(entity)));
          setError(null);
        })
        .catch((failure: unknown) => setError(failure))
        .finally(() => setPending((n) => n - 1));
    }
  }, [needed, generation, setters]);

  const need = useCallback((entities: Entity[]) => {
    setNeeded((prev) => (entities.every((e) => prev.has(e)) ? prev : new Set([...prev, ...entities])));
  }, []);

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

  const want = useCallback(
    (channelIds: string[]) => {
      for (const id of channelIds) {
        if (!id || asked.current.has(id)) continue;
        asked.current.add(id);
        void refresh("channel", id, false).catch(() => asked.current.delete(id));
      }
    },
    [refresh],
  );
  // A channel named in the address (the playback page's) is looked up for its name.
  const addressed = query.get("channel");
  useEffect(() => want(addressed ? [addressed] : []), [addressed, want]);

  // What is loaded follows the events; what is not loaded is left alone.
  const held = useRef({ organisations, devices, channels, needed });
  held.current = { organisations, devices, channels, needed };
  const apply = useCallback(
    (event: BusEvent) => {
      listeners.current.forEach((listener) => listener(event));
      const [kind, entity, op] = event.subject.split(".");
      const { organisations: o, devices: d, channels: c, needed: lists } = held.current;
      const maps: Record<Entity, Map<string, unknown>> = { organisation: o, device: d, channel: c };
      const tracked = (e: Entity, id: string) => lists.has(e) || maps[e].has(id);
      if (kind === "catalog" && entity in PATHS && typeof event.id === "string") {
        if (tracked(entity as Entity, event.id)) void refresh(entity as Entity, event.id, op === "deleted");
        return;
      }
      // Device and channel state from the SIP server: refresh the object it names.
      if (typeof event.channel_id === "string" && tracked("channel", event.channel_id)) {
        void refresh("channel", event.channel_id, false);
      } else if (typeof event.device_id === "string" && tracked("device", event.device_id)) {
        void refresh("device", event.device_id, false);
      }
    },
    [refresh],
  );

  useEffect(() => {
    if (!token) return;
    return openEvents(token, apply, setSocket);
  }, [token, apply]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const value = useMemo<CatalogValue>(
    () => ({
      organisations,
      devices,
      channels,
      loading: pending > 0,
      loaded: loadedLists,
      error,
      socket,
      reload: () => setGeneration((g) => g + 1),
      need,
      want,
      subscribe,
    }),
    [organisations, devices, channels, pending, loadedLists, error, socket, need, want, subscribe],
  );
  return <CatalogContext.Provider value={value}>{children}</CatalogContext.Provider>;
}

export function useCatalog(): CatalogValue {
  const value = useContext(CatalogContext);
  if (!value) throw new Error("useCatalog outside CatalogProvider");
  return value;
}

/** The catalog with these whole lists loaded (once, on the first page that asks); ``ready``
 * once each has loaded. */
export function useCatalogLists(...entities: Entity[]): CatalogValue & { ready: boolean } {
  const value = useCatalog();
  const key = entities.join(",");
  const { need } = value;
  useEffect(() => need(key ? (key.split(",") as Entity[]) : []), [key, need]);
  return { ...value, ready: entities.every((e) => value.loaded.has(e)) };
}

/** The catalog with these channels looked up by ID (the ones not already known). */
export function useChannels(channelIds: (string | null | undefined)[]): CatalogValue {
  const value = useCatalog();
  const key = channelIds.filter(Boolean).join(",");
  const { want } = value;
  useEffect(() => want(key ? key.split(",") : []), [key, want]);
  return value;
}
