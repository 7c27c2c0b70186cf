// The map's style: vector layers only (nothing fetched from elsewhere), plus an XYZ base map
// when the site configured one (VIGIL_MAP_TILES). The district, key areas, roads, buildings and
// banned places come from the organisation's GIS layers (geoLayers.ts) once loaded. Banned places
// (where the law forbids filming) are hatched in red with a pattern made here (`bannedHatch`),
// which the map adds when the style first asks for it.

import type { StyleSpecification } from "maplibre-gl";
import type { Channel } from "../api/types";
import { channelOnline } from "../tree/buildTree";
import { sectorRing } from "./fov";

export const COLOURS = {
  online: "#2ecc71",
  offline: "#ff6b6b",
  footprint: "#4aa3ff",
  blind: "#ff4d4f",
  building: "#5b6b7b",
  banned: "#ff3ea5",
};
/** The name of the banned places' fill pattern, made by `bannedHatch`. */
export const BANNED_HATCH = "banned-hatch";
export const SECTOR_RADIUS_M = 120;
export const GEO_LAYERS = ["district", "roads", "key-areas", "buildings", "banned-places"] as const;

type Feature = GeoJSON.Feature<GeoJSON.Geometry, Record<string, unknown>>;

function placed(channels: Iterable<Channel>): Channel[] {
  return [...channels].filter((c) => c.longitude !== null && c.latitude !== null);
}

export function cameraPoints(channels: Iterable<Channel>): GeoJSON.FeatureCollection {
  const features: Feature[] = placed(channels).map((c) => ({
    type: "Feature",
    geometry: { type: "Point", coordinates: [c.longitude!, c.latitude!] },
    properties: { id: c.id, name: c.name, status: channelOnline(c) ? "online" : "offline" },
  }));
  return { type: "FeatureCollection", features };
}

/** Sectors for cameras whose heading is known; FOV defaults to 60° when unset. */
export function cameraSectors(channels: Iterable<Channel>): GeoJSON.FeatureCollection {
  const features: Feature[] = placed(channels)
    .filter((c) => c.heading !== null)
    .map((c) => ({
      type: "Feature",
      geometry: {
        type: "Polygon",
        coordinates: [sectorRing(c.longitude!, c.latitude!, c.heading!, c.fov ?? 60, SECTOR_RADIUS_M)],
      },
      properties: { id: c.id, status: channelOnline(c) ? "online" : "offline" },
    }));
  return { type: "FeatureCollection", features };
}

/** A square tile of diagonal stripes in the banned colour over a clear ground (RGBA). */
export function bannedHatch(size = 8): { width: number; height: number; data: Uint8Array } {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(COLOURS.banned.slice(i, i + 2), 16));
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const stripe = (x + y) % size < 2;
      data.set(stripe ? [r, g, b, 220] : [r, g, b, 40], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

const EMPTY: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [] };
const byStatus = ["match", ["get", "status"], "online", COLOURS.online, COLOURS.offline] as const;

export function baseStyle(tiles: string | null): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {
      district: { type: "geojson", data: EMPTY },
      roads: { type: "geojson", data: EMPTY },
      "key-areas": { type: "geojson", data: EMPTY },
      buildings: { type: "geojson", data: EMPTY, tolerance: 0 },
      // A toilet or a changing room is a few metres across: drawn as drawn.
      "banned-places": { type: "geojson", data: EMPTY, tolerance: 0 },
      sectors: { type: "geojson", data: EMPTY },
      // Footprints are tens of metres: no simplification, or the tiler may flatten them away.
      footprints: { type: "geojson", data: EMPTY, tolerance: 0 },
      "blind-areas": { type: "geojson", data: EMPTY },
      "blind-crossings": { type: "geojson", data: EMPTY },
      cameras: { type: "geojson", data: EMPTY },
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#101820" } },
      { id: "district-fill", type: "fill", source: "district", paint: { "fill-color": "#1b2a38" } },
      {
        id: "district-line",
        type: "line",
        source: "district",
        paint: { "line-color": "#8fb3d9", "line-width": 2, "line-dasharray": [3, 2] },
      },
      {
        id: "key-areas",
        type: "fill",
        source: "key-areas",
        paint: { "fill-color": "#f5c542", "fill-opacity": 0.25, "fill-outline-color": "#f5c542" },
      },
      {
        id: "buildings",
        type: "fill",
        source: "buildings",
        paint: { "fill-color": COLOURS.building, "fill-opacity": 0.8, "fill-outline-color": "#8a99a8" },
      },
      {
        id: "roads",
        type: "line",
        source: "roads",
        paint: { "line-color": "#c9d4df", "line-width": ["interpolate", ["linear"], ["zoom"], 11, 1, 16, 6] },
      },
      {
        id: "blind-areas",
        type: "fill",
        source: "blind-areas",
        paint: { "fill-color": COLOURS.blind, "fill-opacity": 0.35 },
      },
      {
        id: "blind-areas-line",
        type: "line",
        source: "blind-areas",
        paint: { "line-color": COLOURS.blind, "line-width": 1.5, "line-dasharray": [2, 1] },
      },
      {
        id: "camera-sectors",
        type: "fill",
        source: "sectors",
        paint: { "fill-color": byStatus as never, "fill-opacity": 0.15, "fill-outline-color": byStatus as never },
      },
      {
        id: "camera-footprints",
        type: "fill",
        source: "footprints",
        paint: { "fill-color": COLOURS.footprint, "fill-opacity": 0.45, "fill-outline-color": "#d6ebff" },
      },
      {
        id: "banned-places",
        type: "fill",
        source: "banned-places",
        paint: { "fill-pattern": BANNED_HATCH },
      },
      {
        id: "banned-places-line",
        type: "line",
        source: "banned-places",
        paint: { "line-color": COLOURS.banned, "line-width": 2 },
      },
      {
        id: "blind-crossings",
        type: "circle",
        source: "blind-crossings",
        paint: {
          "circle-radius": 9,
          "circle-color": "rgba(0,0,0,0)",
          "circle-stroke-color": COLOURS.blind,
          "circle-stroke-width": 3,
        },
      },
      {
        id: "cameras",
        type: "circle",
        source: "cameras",
        paint: {
          "circle-radius": 7,
          "circle-color": byStatus as never,
          "circle-stroke-color": "#0b0f14",
          "circle-stroke-width": 2,
        },
      },
    ],
  };
  if (tiles) {
    style.sources.base = { type: "raster", tiles: [tiles], tileSize: 256 };
    style.layers.splice(1, 0, { id: "base", type: "raster", source: "base" });
  }
  return style;
}
