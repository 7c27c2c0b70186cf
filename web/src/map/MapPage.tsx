// The map: the chosen organisation's GIS layers (district, key areas, roads, buildings, banned
// places hatched in red; roads and key areas labelled), cameras with their field of view coloured by status; clicking a camera
// opens its live view beside the map. It draws what the coverage service computes: each camera's
// footprint and the blind spots, which the side panel lists in rank order (a click zooms to one).

import * as maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
// MapLibre finds its worker next to its own module, which bundling moves: point at the copy.
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { ConsoleSettings } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { problemText } from "../i18n/problems";
import { Player } from "../player/Player";
import { navigate } from "../shell/router";
import { useCatalogLists } from "../tree/catalog";
import { useOrgChoice } from "../components/orgChoice";
import { BlindSpotPanel, spotKey } from "./BlindSpotPanel";
import type { Spot } from "./BlindSpotPanel";
import { EMPTY, bounds, loadCoverage, unseenAreas, unseenCrossings } from "./coverage";
import type { Coverage } from "./coverage";
import { labels, loadLayers } from "./geoLayers";
import { BANNED_HATCH, COLOURS, bannedHatch, baseStyle, cameraPoints, cameraSectors } from "./layers";

const DEFAULT_CENTRE: [number, number] = [117.23, 31.85];
maplibregl.setWorkerUrl(workerUrl);

export function MapPage() {
  const { t } = useI18n();
  const { channels } = useCatalogLists("channel");
  const { sorted, org } = useOrgChoice();
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [coverageError, setCoverageError] = useState<string | null>(null);
  const [focused, setFocused] = useState<string | null>(null);
  const [renderedFootprints, setRenderedFootprints] = useState(0);
  const [centre, setCentre] = useState("");
  const [zoom, setZoom] = useState("");
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [ready, setReady] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const [rendered, setRendered] = useState(0);
  const [labelled, setLabelled] = useState(0);
  const [banned, setBanned] = useState(-1);
  const [renderedBanned, setRenderedBanned] = useState(0);

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
            locale: {
              "Map.Title": t("map.title"),
              "NavigationControl.ZoomIn": t("map.zoomIn"),
              "NavigationControl.ZoomOut": t("map.zoomOut"),
              "NavigationControl.ResetBearing": t("map.resetBearing"),
              "Popup.Close": t("common.close"),
            },
          });
        } catch (error) {
          setFailure((error as Error).message);
          return;
        }
        map.addControl(new maplibregl.NavigationControl({ showCompass: true }), "top-right");
        map.on("load", () => setReady(true));
        // Asked for when a tile first needs it (an image added on `styleimagemissing` comes too late).
        map.setMissingStyleImageResolver(async (id) => {
          if (id === BANNED_HATCH && !map!.hasImage(id)) map!.addImage(id, bannedHatch());
        });
        map.on("error", (event) => setFailure(event.error?.message ?? "map error"));
        map.on("idle", () => {
          const ids = new Set(
            map!.queryRenderedFeatures({ layers: ["camera-sectors"] }).map((f) => f.properties?.id),
          );
          setRendered(ids.size);
          const drawn = map!.queryRenderedFeatures({ layers: ["camera-footprints"] });
          setRenderedFootprints(new Set(drawn.map((f) => f.properties?.channel_id)).size);
          const hatched = map!.queryRenderedFeatures({ layers: ["banned-places"] });
          setRenderedBanned(new Set(hatched.map((f) => f.properties?.name)).size);
        });
        map.on("moveend", () => {
          const { lng, lat } = map!.getCenter();
          setCentre(`${lng.toFixed(6)},${lat.toFixed(6)}`);
          setZoom(map!.getZoom().toFixed(2));
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

  useEffect(() => {
    if (!org) return;
    let cancelled = false;
    setCoverage(null);
    setCoverageError(null);
    setFocused(null);
    loadCoverage(org)
      .then((loaded) => !cancelled && setCoverage(loaded))
      .catch((failure: unknown) => !cancelled && setCoverageError(problemText(t, failure)));
    return () => {
      cancelled = true;
    };
  }, [org]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map) return;
    const source = (id: string) => map.getSource(id) as maplibregl.GeoJSONSource;
    source("footprints").setData(coverage?.footprints ?? EMPTY);
    source("blind-areas").setData(coverage ? unseenAreas(coverage.spots) : EMPTY);
    source("blind-crossings").setData(coverage ? unseenCrossings(coverage.spots) : EMPTY);
  }, [ready, coverage]);

  useEffect(() => {
    const map = mapRef.current;
    if (!ready || !map || !org) return;
    let cancelled = false;
    const markers: maplibregl.Marker[] = [];
    loadLayers(org)
      .then((layers) => {
        if (cancelled) return;
        const source = (id: string) => map.getSource(id) as maplibregl.GeoJSONSource;
        source("district").setData(layers.district);
        source("roads").setData(layers.roads);
        source("key-areas").setData(layers.keyAreas);
        source("buildings").setData(layers.buildings);
        source("banned-places").setData(layers.bannedPlaces);
        setBanned(layers.bannedPlaces.features.length);
        for (const label of labels(layers)) {
          const element = document.createElement("div");
          element.className = `map-label map-label-${label.kind}`;
          element.dataset.kind = label.kind;
          element.textContent = label.name;
          markers.push(new maplibregl.Marker({ element }).setLngLat(label.at).addTo(map));
        }
        setLabelled(markers.length);
      })
      .catch((failure: unknown) => !cancelled && setCoverageError(String((failure as Error).message ?? failure)));
    return () => {
      cancelled = true;
      markers.forEach((marker) => marker.remove());
      setLabelled(0);
      setBanned(-1);
    };
  }, [ready, org]);

  const focus = (spot: Spot) => {
    const map = mapRef.current;
    if (!map || !coverage) return;
    setOpened(null);
    setFocused(spotKey(spot));
    if (spot.kind === "key_area") {
      const gap = coverage.spots.key_areas.find((a) => a.id === spot.id);
      if (gap) map.fitBounds(bounds(gap.uncovered), { padding: 60, maxZoom: 18, duration: 0 });
    } else {
      const gap = coverage.spots.intersections.find((c) => c.id === spot.id);
      if (gap) map.jumpTo({ center: [gap.longitude, gap.latitude], zoom: 18 });
    }
  };

  const openedChannel = opened ? channels.get(opened) : undefined;
  const placed = [...channels.values()].filter((c) => c.longitude !== null && c.latitude !== null);

  return (
    <section className="page map-page" aria-labelledby="map-title">
      <div className="toolbar">
        <h2 id="map-title">{t("map.title")}</h2>
        <select
          aria-label={t("report.organisation")}
          value={org}
          onChange={(e) => navigate(`/map?${new URLSearchParams({ org: e.target.value })}`)}
        >
          {sorted.map((o) => (
            <option key={o.id} value={o.id}>{`${o.name}（${o.id}）`}</option>
          ))}
        </select>
        <span className="legend">
          <span className="swatch" style={{ background: COLOURS.online }} /> {t("status.online")}
          <span className="swatch" style={{ background: COLOURS.offline }} /> {t("status.offline")}
          <span className="swatch key-area" /> {t("map.keyArea")}
          <span className="swatch road" /> {t("map.road")}
          <span className="swatch" style={{ background: COLOURS.building }} /> {t("map.building")}
          <span className="swatch banned" /> {t("map.bannedPlace")}
          <span className="swatch" style={{ background: COLOURS.footprint }} /> {t("map.footprint")}
          <span className="swatch" style={{ background: COLOURS.blind }} /> {t("map.blindSpot")}
        </span>
      </div>
      {failure && (
        <p className="error" role="alert">
          {t("map.failed", { detail: "" })}
          <code translate="no">{failure}</code>
        </p>
      )}
      {coverageError && (
        <p className="error" role="alert">{t("error.withDetail", { detail: coverageError })}</p>
      )}
      <div className="map-body">
        <div
          ref={container}
          className="map"
          data-testid="map"
          data-ready={ready}
          data-rendered-sectors={rendered}
          data-footprints={coverage?.footprints.features.length ?? -1}
          data-rendered-footprints={renderedFootprints}
          data-labels={labelled}
          data-banned-places={banned}
          data-rendered-banned-places={renderedBanned}
          data-focus={focused ?? ""}
          data-centre={centre}
          data-zoom={zoom}
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
              {coverage ? (
                <BlindSpotPanel coverage={coverage} focused={focused} onFocus={focus} />
              ) : (
                !coverageError && <p className="muted">{t("common.loading")}</p>
              )}
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
