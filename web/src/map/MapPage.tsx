// The map: district outline, roads and key areas from GeoJSON, cameras with their field of view
// coloured by status; clicking a camera opens its live view beside the map.

import * as maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
// MapLibre finds its worker next to its own module, which bundling moves: point at the copy.
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { ConsoleSettings } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { Player } from "../player/Player";
import { useCatalog } from "../tree/catalog";
import { COLOURS, baseStyle, cameraPoints, cameraSectors } from "./layers";

const DEFAULT_CENTRE: [number, number] = [117.23, 31.85];
maplibregl.setWorkerUrl(workerUrl);

export function MapPage() {
  const { t } = useI18n();
  const { channels } = useCatalog();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [ready, setReady] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const [rendered, setRendered] = useState(0);

  useEffect(() => {
    let map: maplibregl.Map | null = null;
    let cancelled = false;
    api<ConsoleSettings>("/console/settings")
      .catch(() => ({ map_tiles: null }))
      .then((settings) => {
        if (cancelled || !container.current) return;
        try {
          map = new maplibregl.Map({
            container: container.current,
            style: baseStyle(settings.map_tiles),
            center: DEFAULT_CENTRE,
            zoom: 12,
            attributionControl: false,
          });
        } catch (error) {
          setFailure((error as Error).message);
          return;
        }
        map.addControl(new maplibregl.NavigationControl({ showCompass: true }), "top-right");
        map.on("load", () => setReady(true));
        map.on("error", (event) => setFailure(event.error?.message ?? "map error"));
        map.on("idle", () => {
          const ids = new Set(
            map!.queryRenderedFeatures({ layers: ["camera-sectors"] }).map((f) => f.properties?.id),
          );
          setRendered(ids.size);
        });
        map.on("click", "cameras", (event) => {
          const id = event.features?.[0]?.properties?.id;
          if (typeof id === "string") setOpened(id);
        });
        map.on("mouseenter", "cameras", () => (map!.getCanvas().style.cursor = "pointer"));
        map.on("mouseleave", "cameras", () => (map!.getCanvas().style.cursor = ""));
        mapRef.current = map;
      });
    return () => {
      cancelled = true;
      map?.remove();
      mapRef.current = null;
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    const points = cameraPoints(channels.values());
    (map.getSource("cameras") as maplibregl.GeoJSONSource).setData(points);
    (map.getSource("sectors") as maplibregl.GeoJSONSource).setData(cameraSectors(channels.values()));
    if (points.features.length) {
      const bounds = new maplibregl.LngLatBounds();
      for (const feature of points.features) {
        bounds.extend((feature.geometry as GeoJSON.Point).coordinates as [number, number]);
      }
      map.fitBounds(bounds, { padding: 80, maxZoom: 16, duration: 0 });
    }
  }, [ready, channels]);

  const openedChannel = opened ? channels.get(opened) : undefined;
  const placed = [...channels.values()].filter((c) => c.longitude !== null && c.latitude !== null);

  return (
    <section className="page map-page" aria-labelledby="map-title">
      <div className="toolbar">
        <h2 id="map-title">{t("map.title")}</h2>
        <span className="legend">
          <span className="swatch" style={{ background: COLOURS.online }} /> {t("status.online")}
          <span className="swatch" style={{ background: COLOURS.offline }} /> {t("status.offline")}
          <span className="swatch key-area" /> {t("map.keyArea")}
          <span className="swatch road" /> {t("map.road")}
        </span>
      </div>
      {failure && <p className="error" role="alert">{t("map.failed", { detail: failure })}</p>}
      <div className="map-body">
        <div
          ref={container}
          className="map"
          data-testid="map"
          data-ready={ready}
          data-rendered-sectors={rendered}
          aria-label={t("map.title")}
          role="region"
        />
        <aside className="map-side" aria-label={t("map.cameras")}>
          {openedChannel ? (
            <>
              <div className="toolbar">
                <h3>{openedChannel.name}</h3>
                <button type="button" onClick={() => setOpened(null)}>
                  {t("common.close")}
                </button>
              </div>
              <Player channelId={openedChannel.id} title={openedChannel.name} />
            </>
          ) : (
            <>
              <h3>{t("map.cameras")}</h3>
              <p className="muted">{t("map.clickHint")}</p>
              <ul className="plain-list">
                {placed.map((channel) => (
                  <li key={channel.id}>
                    <button type="button" className="link" onClick={() => setOpened(channel.id)}>
                      {channel.name}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </aside>
      </div>
    </section>
  );
}
