/**
 * Geometry classification for the summary, and entity objects for `entities[]` (only with the
 * `extract_entities` option; see docs/dxf-extractor.md). Each object carries type, handle, layer,
 * colour and the type's main geometry; long vertex lists are cut at MAX_VERTICES.
 */
import { GeometrySummary } from '../cad-result';
import { Tags, Vec3, tagNum, tagPoint, tagStr, textRecord } from './dxf-records';

export const MAX_VERTICES_PER_ENTITY = 10_000;

/** Entities that belong to another one and are not counted on their own. */
export const SUB_ENTITIES = new Set(['VERTEX', 'SEQEND', 'ATTRIB', 'ENDBLK']);

const SOLIDS = new Set(['SOLID', 'TRACE', '3DSOLID', 'BODY', 'REGION']);
const MESHES = new Set(['MESH', '3DFACE', 'POLYFACE', 'SURFACE', 'PLANESURFACE']);

/** Adds one model-space entity to the summary. `polyFlags` is group 70 of a POLYLINE. */
export function countGeometry(g: GeometrySummary, type: string, polyFlags: number): void {
  g.total_entities++;
  switch (type) {
    case 'LINE':
      g.lines++;
      return;
    case 'CIRCLE':
      g.circles++;
      return;
    case 'ARC':
      g.arcs++;
      return;
    case 'LWPOLYLINE':
      g.polylines++;
      return;
    case 'POLYLINE':
      // Polygon meshes (16) and polyface meshes (64) are meshes, not polylines.
      if (polyFlags & (16 | 64)) g.meshes++;
      else g.polylines++;
      return;
    case 'SPLINE':
      g.splines++;
      return;
    case 'ELLIPSE':
      g.ellipses++;
      return;
    case 'POINT':
      g.points++;
      return;
    case 'HATCH':
      g.hatches++;
      return;
    default:
      if (SOLIDS.has(type)) g.solids++;
      else if (MESHES.has(type) || type.endsWith('SURFACE')) g.meshes++;
  }
}

function points(t: Tags, xCode: number, limit = MAX_VERTICES_PER_ENTITY): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < t.n && out.length < limit; i++) {
    if (t.codes[i] !== xCode) continue;
    const x = t.nums[i];
    const y = t.codes[i + 1] === xCode + 10 ? t.nums[i + 1] : NaN;
    const z = t.codes[i + 2] === xCode + 20 ? t.nums[i + 2] : 0;
    out.push(t.codes[i + 2] === xCode + 20 ? [x, y, z] : [x, y]);
  }
  return out;
}

function lwVertices(t: Tags): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < t.n && out.length < MAX_VERTICES_PER_ENTITY; i++) {
    if (t.codes[i] === 10) out.push([t.nums[i], NaN, 0]);
    else if (t.codes[i] === 20 && out.length) out[out.length - 1][1] = t.nums[i];
    else if (t.codes[i] === 42 && out.length) out[out.length - 1][2] = t.nums[i];
  }
  return out;
}

/** Entity object for entities[]; `extra` is merged in (dimension value, insert attributes …). */
export function buildEntity(
  type: string,
  t: Tags,
  layer: string,
  space: 'model' | 'paper' | 'block',
): Record<string, unknown> {
  const e: Record<string, unknown> = { type, handle: tagStr(t, 5), layer, space };
  const color = tagNum(t, 62);
  if (color !== null) e.color = color;
  switch (type) {
    case 'LINE':
      e.start = tagPoint(t, 10);
      e.end = tagPoint(t, 11);
      break;
    case 'CIRCLE':
      e.center = tagPoint(t, 10);
      e.radius = tagNum(t, 40);
      break;
    case 'ARC':
      e.center = tagPoint(t, 10);
      e.radius = tagNum(t, 40);
      e.start_angle = tagNum(t, 50);
      e.end_angle = tagNum(t, 51);
      break;
    case 'ELLIPSE':
      e.center = tagPoint(t, 10);
      e.major_axis = tagPoint(t, 11);
      e.ratio = tagNum(t, 40);
      e.start_param = tagNum(t, 41);
      e.end_param = tagNum(t, 42);
      break;
    case 'POINT':
      e.location = tagPoint(t, 10);
      break;
    case 'LWPOLYLINE':
      e.closed = ((tagNum(t, 70) ?? 0) & 1) === 1;
      e.vertices = lwVertices(t); // [x, y, bulge]
      break;
    case 'POLYLINE':
      e.closed = ((tagNum(t, 70) ?? 0) & 1) === 1;
      e.flags = tagNum(t, 70) ?? 0;
      e.vertices = []; // filled from the following VERTEX entities
      break;
    case 'SPLINE':
      e.degree = tagNum(t, 71);
      e.closed = ((tagNum(t, 70) ?? 0) & 1) === 1;
      e.control_points = points(t, 10);
      e.fit_points = points(t, 11);
      break;
    case 'TEXT':
    case 'MTEXT': {
      const r = textRecord(type, t, layer);
      e.text = r?.text ?? '';
      e.height = r?.height ?? null;
      e.position = r?.position ?? null;
      e.rotation = r?.rotation ?? 0;
      break;
    }
    case 'INSERT':
      e.block = tagStr(t, 2);
      e.position = tagPoint(t, 10);
      e.scale = [tagNum(t, 41) ?? 1, tagNum(t, 42) ?? 1, tagNum(t, 43) ?? 1];
      e.rotation = tagNum(t, 50) ?? 0;
      break;
    case 'HATCH':
      e.pattern = tagStr(t, 2);
      e.solid = tagNum(t, 70) === 1 || tagStr(t, 2) === 'SOLID';
      e.boundary_paths = tagNum(t, 91);
      break;
    case 'LEADER':
      e.vertices = points(t, 10);
      e.has_arrowhead = tagNum(t, 71) !== 0;
      break;
    case 'SOLID':
    case 'TRACE':
    case '3DFACE':
      e.vertices = [10, 11, 12, 13].map((c) => tagPoint(t, c)).filter((p): p is Vec3 => !!p);
      break;
    default:
      break;
  }
  return e;
}

/** A VERTEX's location, for the POLYLINE entity that owns it. */
export function vertexPoint(t: Tags): Vec3 | null {
  return tagPoint(t, 10);
}
