/**
 * DIMENSION measurement computed from the definition points (DXF reference, DIMENSION group codes):
 *   0 rotated/linear  |13→14| projected on the direction of angle 50
 *   1 aligned         |13→14|
 *   2 angular 2-line  angle between line 13→14 and line 15→10, in the sector holding arc point 16
 *   3 diameter        |15 − 10| (10 and 15 are opposite points on the circle)
 *   4 radius          |15 − 10| (10 centre, 15 point on the circle)
 *   5 angular 3-point angle at vertex 15 between 13 and 14, on the side of arc location 10
 *   6 ordinate        |13 − 10| along X (flag 64) or Y
 * A stored measurement (group 42) wins; angular ones are stored in radians.
 */
import { CadDimension } from '../cad-result';
import { Tolerance, parseTolerance, plainMText } from './dxf-text';

export const DIMENSION_TYPE_NAMES = [
  'linear',
  'aligned',
  'angular',
  'diameter',
  'radius',
  'angular3point',
  'ordinate',
] as const;

type Vec = [number, number, number];

/** The raw groups of a DIMENSION entity the computation needs. */
export interface RawDimension {
  flags: number;
  points: Partial<Record<10 | 13 | 14 | 15 | 16, Vec>>;
  angle: number;
  measurement: number | null;
  text: string | null;
  layer: string;
  style: string | null;
  /** DIMTOL/DIMTP/DIMTM from the ACAD DSTYLE XDATA override, when present. */
  styleTolerance: Tolerance | null;
}

const sub = (a: Vec, b: Vec): Vec => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const len = (a: Vec): number => Math.hypot(a[0], a[1], a[2]);
const cross2 = (a: Vec, b: Vec): number => a[0] * b[1] - a[1] * b[0];
const RAD = 180 / Math.PI;

/** Counter-clockwise angle from a to b in degrees, [0, 360). */
function ccw(a: Vec, b: Vec): number {
  let d = (Math.atan2(b[1], b[0]) - Math.atan2(a[1], a[0])) * RAD;
  if (d < 0) d += 360;
  if (d >= 360) d -= 360;
  return d;
}

function angleBetween(a: Vec, b: Vec): number {
  const c = Math.abs(ccw(a, b));
  return c > 180 ? 360 - c : c;
}

function twoLineAngle(p: RawDimension['points']): number | null {
  const { 13: a1, 14: a2, 15: b1, 10: b2, 16: arc } = p;
  if (!a1 || !a2 || !b1 || !b2) return null;
  const d1 = sub(a2, a1);
  const d2 = sub(b2, b1);
  if (len(d1) === 0 || len(d2) === 0) return null;
  const denom = cross2(d1, d2);
  if (!arc || Math.abs(denom) < 1e-12) return angleBetween(d1, d2);
  // Intersection C of the two lines; pick the ray directions whose sector holds the arc point.
  const t = cross2(sub(b1, a1), d2) / denom;
  const c: Vec = [a1[0] + t * d1[0], a1[1] + t * d1[1], 0];
  const toArc = sub(arc, c);
  const s1 = Math.sign(cross2(d2, toArc)) === Math.sign(cross2(d2, d1)) ? 1 : -1;
  const s2 = Math.sign(cross2(d1, toArc)) === Math.sign(cross2(d1, d2)) ? 1 : -1;
  const r1: Vec = [s1 * d1[0], s1 * d1[1], 0];
  const r2: Vec = [s2 * d2[0], s2 * d2[1], 0];
  return angleBetween(r1, r2);
}

function threePointAngle(p: RawDimension['points']): number | null {
  const { 15: v, 13: a, 14: b, 10: arc } = p;
  if (!v || !a || !b) return null;
  const d1 = sub(a, v);
  const d2 = sub(b, v);
  if (len(d1) === 0 || len(d2) === 0) return null;
  const sweep = ccw(d1, d2);
  if (!arc || len(sub(arc, v)) === 0) return sweep;
  // Is the arc location inside the counter-clockwise sweep from d1 to d2?
  const inside = ccw(d1, sub(arc, v)) <= sweep;
  return inside ? sweep : 360 - sweep;
}

/** Measured value in drawing units (degrees for angular types); null when points are missing. */
export function measureDimension(d: RawDimension): number | null {
  const type = d.flags & 7;
  const angular = type === 2 || type === 5;
  if (d.measurement !== null && Number.isFinite(d.measurement)) {
    return angular ? d.measurement * RAD : d.measurement;
  }
  const p = d.points;
  switch (type) {
    case 0: {
      if (!p[13] || !p[14]) return null;
      const r = (d.angle * Math.PI) / 180;
      const v = sub(p[14], p[13]);
      return Math.abs(v[0] * Math.cos(r) + v[1] * Math.sin(r));
    }
    case 1:
      return p[13] && p[14] ? len(sub(p[14], p[13])) : null;
    case 2:
      return twoLineAngle(p);
    case 3:
    case 4:
      return p[10] && p[15] ? len(sub(p[15], p[10])) : null;
    case 5:
      return threePointAngle(p);
    case 6: {
      if (!p[10] || !p[13]) return null;
      const axis = d.flags & 64 ? 0 : 1;
      return Math.abs(p[13][axis] - p[10][axis]);
    }
    default:
      return null;
  }
}

/** Rounds away floating noise (12 significant digits) so 2.9999999999999996 reads as 3. */
export function roundValue(v: number): number {
  return Number(v.toPrecision(12));
}

function formatNumber(v: number): string {
  return String(Number(v.toFixed(4)));
}

function defaultLabel(type: number, value: number): string {
  const n = formatNumber(value);
  if (type === 3) return `Ø${n}`;
  if (type === 4) return `R${n}`;
  if (type === 2 || type === 5) return `${n}°`;
  return n;
}

/** Builds the envelope dimension; `unit` is the drawing's linear unit ($INSUNITS). */
export function toCadDimension(d: RawDimension, unit: string | null): CadDimension {
  const type = d.flags & 7;
  const raw = measureDimension(d);
  const value = raw === null ? null : roundValue(raw);
  const angular = type === 2 || type === 5;
  const override = d.text;
  let label: string | null;
  if (override === null || override === '' || override === '<>') {
    label = value === null ? null : defaultLabel(type, value);
  } else if (override.trim() === '') {
    label = null; // a single space suppresses the text
  } else {
    const measured = value === null ? '' : defaultLabel(type, value);
    label = plainMText(override.replace('<>', measured));
  }
  let tol = parseTolerance(override);
  if (tol.plus === null && tol.minus === null && d.styleTolerance) tol = d.styleTolerance;
  const pos = d.points[type === 3 || type === 4 ? 15 : 10] ?? d.points[10] ?? null;
  return {
    value,
    unit: angular ? 'deg' : unit,
    tolerance_plus: tol.plus,
    tolerance_minus: tol.minus,
    dimension_type: DIMENSION_TYPE_NAMES[type] ?? 'unknown',
    label,
    layer: d.layer,
    position: pos,
  };
}
