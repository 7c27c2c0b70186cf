// The coverage overlay of the map: camera footprints as the coverage service computes them (reach
// from pixel density, mounting, building shadows), the unseen parts of key areas and the
// intersections not counted, and the two coverage KPIs with their targets, for one organisation.

import { api } from "../api/client";
import type { BlindSpots, Kpis } from "../api/types";

export interface Coverage {
  footprints: GeoJSON.FeatureCollection;
  spots: BlindSpots;
  kpis: Kpis;
}

export const EMPTY: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: [] };

export async function loadCoverage(org: string): Promise<Coverage> {
  const query = new URLSearchParams({ org });
  const [footprints, spots, kpis] = await Promise.all([
    api<GeoJSON.FeatureCollection>(`/coverage/footprints?${query}`),
    api<BlindSpots>(`/coverage/blind-spots?${query}`),
    api<Kpis>(`/kpis?${query}`),
  ]);
  // A camera that sees nothing at the required density has no polygon to draw. The feature ID (a
  // 20-digit channel ID) is dropped: MapLibre would read it as a number too large for its tiles.
  footprints.features = footprints.features
    .filter((f) => f.geometry !== null)
    .map(({ type, geometry, properties }) => ({ type, geometry, properties }));
  return { footprints, spots, kpis };
}

/** Blind spots as map features, in the API's order (rank 1 = most unseen), each drawn as `shape`. */
function ranked<Spot extends { id: number; name: string }>(
  spots: Spot[],
  shape: (spot: Spot) => GeoJSON.Geometry,
): GeoJSON.FeatureCollection {
  return {
    type: "FeatureCollection",
    features: spots.map((spot, i) => ({
      type: "Feature",
      id: spot.id,
      geometry: shape(spot),
      properties: { id: spot.id, name: spot.name, rank: i + 1 },
    })),
  };
}

/** The unseen parts of key areas, ranked as the API ranks them (rank 1 = most unseen). */
export function unseenAreas(spots: BlindSpots): GeoJSON.FeatureCollection {
  return ranked(spots.key_areas, (a) => a.uncovered);
}

/** The intersections not counted as covered, as points. */
export function unseenCrossings(spots: BlindSpots): GeoJSON.FeatureCollection {
  return ranked(spots.intersections, (c) => ({ type: "Point", coordinates: [c.longitude, c.latitude] }));
}

/** West, south, east, north of a geometry's coordinates. */
export function bounds(geometry: GeoJSON.Geometry): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (value: unknown): void => {
    if (Array.isArray(value) && typeof value[0] === "number") {
      const [lon, lat] = value as number[];
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    }
  };
  if (geometry.type === "GeometryCollection") {
    for (const part of geometry.geometries) {
      const [w, s, e, n] = bounds(part);
      visit([[w, s], [e, n]]);
    }
  } else {
    visit(geometry.coordinates);
  }
  return box;
}
