// The map's base layers are the organisation's GIS layers as the coverage service measures them
// (GET /gis/layers/{kind}?organisation_id=): administrative areas, key public areas, roads and
// buildings, and the banned places (where the law forbids filming), which coverage does not measure. Roads and key areas are labelled with their names; the labels are HTML markers, as the
// map fetches no fonts (a symbol layer would need a glyph server).

import { api } from "../api/client";

export interface GeoLayers {
  district: GeoJSON.FeatureCollection;
  roads: GeoJSON.FeatureCollection;
  keyAreas: GeoJSON.FeatureCollection;
  buildings: GeoJSON.FeatureCollection;
  bannedPlaces: GeoJSON.FeatureCollection;
}

export interface Label {
  kind: "road" | "key_area";
  name: string;
  at: [number, number];
}

type Position = [number, number];

async function layer(kind: string, org: string): Promise<GeoJSON.FeatureCollection> {
  const collection = await api<GeoJSON.FeatureCollection>(`/gis/layers/${kind}?${new URLSearchParams({ organisation_id: org })}`);
  // Feature IDs are dropped: MapLibre has no use for them here.
  collection.features = collection.features.map(({ type, geometry, properties }) => ({ type, geometry, properties }));
  return collection;
}

export async function loadLayers(org: string): Promise<GeoLayers> {
  const [district, roads, keyAreas, buildings, bannedPlaces] = await Promise.all(
    ["admin_area", "road", "key_area", "building", "banned_place"].map((kind) => layer(kind, org)),
  );
  return { district, roads, keyAreas, buildings, bannedPlaces };
}

/** The point halfway along a line (by length on the plane of degrees, good enough for a label). */
export function lineMiddle(line: Position[]): Position {
  const lengths = line.slice(1).map((p, i) => Math.hypot(p[0] - line[i][0], p[1] - line[i][1]));
  let left = lengths.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < lengths.length; i += 1) {
    if (left <= lengths[i] && lengths[i] > 0) {
      const share = left / lengths[i];
      return [line[i][0] + (line[i + 1][0] - line[i][0]) * share, line[i][1] + (line[i + 1][1] - line[i][1]) * share];
    }
    left -= lengths[i];
  }
  return line[0];
}

/** The mean of a ring's corners (its closing point counted once): inside any convex area. */
export function ringCentre(ring: Position[]): Position {
  const corners = ring.length > 1 && ring[0][0] === ring.at(-1)![0] && ring[0][1] === ring.at(-1)![1] ? ring.slice(0, -1) : ring;
  const sum = corners.reduce<Position>((a, p) => [a[0] + p[0], a[1] + p[1]], [0, 0]);
  return [sum[0] / corners.length, sum[1] / corners.length];
}

function longestLine(geometry: GeoJSON.Geometry): Position[] | null {
  if (geometry.type === "LineString") return geometry.coordinates as Position[];
  if (geometry.type !== "MultiLineString") return null;
  return (geometry.coordinates as Position[][]).reduce((a, b) => (b.length > a.length ? b : a), []);
}

function outerRing(geometry: GeoJSON.Geometry): Position[] | null {
  if (geometry.type === "Polygon") return geometry.coordinates[0] as Position[];
  if (geometry.type === "MultiPolygon") return geometry.coordinates[0][0] as Position[];
  return null;
}

function named(feature: GeoJSON.Feature): string | null {
  const name = feature.properties?.name;
  return typeof name === "string" && name ? name : null;
}

/** One label per named road (halfway along it) and per named key area (at its centre). */
export function labels(layers: GeoLayers): Label[] {
  const out: Label[] = [];
  for (const road of layers.roads.features) {
    const line = longestLine(road.geometry);
    const name = named(road);
    if (line && line.length > 1 && name) out.push({ kind: "road", name, at: lineMiddle(line) });
  }
  for (const area of layers.keyAreas.features) {
    const ring = outerRing(area.geometry);
    const name = named(area);
    if (ring && ring.length > 2 && name) out.push({ kind: "key_area", name, at: ringCentre(ring) });
  }
  return out;
}
