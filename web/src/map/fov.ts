// A camera's field of view as a GeoJSON sector: apex at the camera, opening ``fov`` degrees
// around ``heading`` (clockwise from north), ``radius`` metres deep. At the scale of a camera's
// view (tens to hundreds of metres) a local flat-earth approximation is well under a metre off.

const EARTH_RADIUS_M = 6_371_008.8;
const STEP_DEG = 5;

export type Position = [number, number];

export function offset(lon: number, lat: number, bearingDeg: number, metres: number): Position {
  const bearing = (bearingDeg * Math.PI) / 180;
  const dLat = (metres * Math.cos(bearing)) / EARTH_RADIUS_M;
  const dLon = (metres * Math.sin(bearing)) / (EARTH_RADIUS_M * Math.cos((lat * Math.PI) / 180));
  return [lon + (dLon * 180) / Math.PI, lat + (dLat * 180) / Math.PI];
}

/** The closed ring of the sector polygon. */
export function sectorRing(lon: number, lat: number, heading: number, fov: number, radius: number): Position[] {
  const width = Math.min(Math.max(fov, 1), 360);
  const first = heading - width / 2;
  const steps = Math.max(2, Math.ceil(width / STEP_DEG));
  const ring: Position[] = width < 360 ? [[lon, lat]] : [];
  for (let i = 0; i <= steps; i += 1) ring.push(offset(lon, lat, first + (width * i) / steps, radius));
  ring.push(ring[0]);
  return ring;
}
