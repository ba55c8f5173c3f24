/**
 * Mass properties from a closed triangle mesh: volume as the sum of signed tetrahedra against the
 * origin (divergence theorem), area as the sum of triangle areas, centre of mass from the
 * tetrahedra centroids. They approximate the exact B-rep values; the error shrinks with the
 * tessellation tolerance (curved faces only; planar faces are exact).
 */
export interface BoundingBox {
  min: [number, number, number];
  max: [number, number, number];
}

export interface MeshMetrics {
  volume: number;
  surface_area: number;
  /** Volume-weighted centroid; null when the mesh encloses no volume (open surface). */
  center_of_mass: [number, number, number] | null;
  bbox: BoundingBox | null;
  triangles: number;
}

export function meshMetrics(positions: ArrayLike<number>, indices: ArrayLike<number>): MeshMetrics {
  let volume = 0;
  let area = 0;
  let cx = 0;
  let cy = 0;
  let cz = 0;
  for (let i = 0; i + 2 < indices.length; i += 3) {
    const a = indices[i] * 3;
    const b = indices[i + 1] * 3;
    const c = indices[i + 2] * 3;
    const ax = positions[a],
      ay = positions[a + 1],
      az = positions[a + 2];
    const bx = positions[b],
      by = positions[b + 1],
      bz = positions[b + 2];
    const qx = positions[c],
      qy = positions[c + 1],
      qz = positions[c + 2];
    const v = (ax * (by * qz - bz * qy) - ay * (bx * qz - bz * qx) + az * (bx * qy - by * qx)) / 6;
    volume += v;
    cx += v * (ax + bx + qx);
    cy += v * (ay + by + qy);
    cz += v * (az + bz + qz);
    const ux = bx - ax,
      uy = by - ay,
      uz = bz - az;
    const wx = qx - ax,
      wy = qy - ay,
      wz = qz - az;
    area += Math.hypot(uy * wz - uz * wy, uz * wx - ux * wz, ux * wy - uy * wx) / 2;
  }
  const center: [number, number, number] | null =
    Math.abs(volume) > 1e-12 ? [cx / (4 * volume), cy / (4 * volume), cz / (4 * volume)] : null;
  return {
    volume: Math.abs(volume),
    surface_area: area,
    center_of_mass: center,
    bbox: boundingBox(positions),
    triangles: Math.floor(indices.length / 3),
  };
}

export function boundingBox(positions: ArrayLike<number>): BoundingBox | null {
  if (positions.length < 3) return null;
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i + 2 < positions.length; i += 3) {
    for (let k = 0; k < 3; k += 1) {
      const value = positions[i + k];
      if (value < min[k]) min[k] = value;
      if (value > max[k]) max[k] = value;
    }
  }
  return { min, max };
}

export function mergeBoxes(boxes: (BoundingBox | null)[]): BoundingBox | null {
  let out: BoundingBox | null = null;
  for (const box of boxes) {
    if (!box) continue;
    if (!out) out = { min: [...box.min], max: [...box.max] };
    else
      for (let k = 0; k < 3; k += 1) {
        out.min[k] = Math.min(out.min[k], box.min[k]);
        out.max[k] = Math.max(out.max[k], box.max[k]);
      }
  }
  return out;
}

/** Volume-weighted centre of several bodies. */
export function combinedCenter(
  parts: { volume: number; center_of_mass: [number, number, number] | null }[],
): [number, number, number] | null {
  let total = 0;
  const sum: [number, number, number] = [0, 0, 0];
  for (const part of parts) {
    if (!part.center_of_mass || part.volume <= 0) continue;
    total += part.volume;
    for (let k = 0; k < 3; k += 1) sum[k] += part.center_of_mass[k] * part.volume;
  }
  return total > 0 ? [sum[0] / total, sum[1] / total, sum[2] / total] : null;
}

/** Rounds for output so JSON does not carry float noise (12 significant digits). */
export function roundMetric(value: number): number {
  return Number(value.toPrecision(12));
}
