/**
 * Model-space extents computed from the coordinates the scanner streams past, for drawings whose
 * header has no $EXTMIN/$EXTMAX or only the ±1e20 "not computed" placeholders (ezdxf and many
 * converters write those). Per entity: its definition points (LINE ends, polyline vertices, SOLID
 * corners, spline control points, dimension definition points, text insertion points), the exact
 * box of circles, arcs and ellipse arcs, and for an INSERT the box of its block (computed the same
 * way, nested inserts included) moved, scaled and rotated like the insert. What it does not see
 * (text glyph extents, polyline bulges, hatch boundaries, ACIS solids, OCS extrusion) is listed in
 * docs/dxf-extractor.md.
 */

export interface Extents {
  min: [number, number, number];
  max: [number, number, number];
}

/** An axis-aligned box, [minX, minY, minZ, maxX, maxY, maxZ]; empty while min > max. */
class Box {
  readonly v = new Float64Array([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);

  get empty(): boolean {
    const v = this.v;
    return v[0] > v[3] || v[1] > v[4];
  }

  min(axis: number): number {
    return this.v[axis];
  }

  max(axis: number): number {
    return this.v[axis + 3];
  }

  add(axis: number, x: number): void {
    // NaN fails both comparisons; ±Infinity is kept out explicitly.
    if (x === Infinity || x === -Infinity) return;
    const v = this.v;
    if (x < v[axis]) v[axis] = x;
    if (x > v[axis + 3]) v[axis + 3] = x;
  }

  addPoint(x: number, y: number, z: number): void {
    this.add(0, x);
    this.add(1, y);
    this.add(2, z);
  }

  union(b: Box): void {
    if (b.empty) return;
    const w = b.v;
    for (let a = 0; a < 3; a++) {
      this.add(a, w[a]);
      this.add(a, w[a + 3]);
    }
  }

  reset(): void {
    const v = this.v;
    v[0] = v[1] = v[2] = Infinity;
    v[3] = v[4] = v[5] = -Infinity;
  }
}

/** For each entity type, the point slots (k of group codes 10+k/20+k/30+k) that are WCS points. */
const POINT_SLOTS: Record<string, number> = {
  LINE: 0b11,
  POINT: 0b1,
  SOLID: 0b1111,
  TRACE: 0b1111,
  '3DFACE': 0b1111,
  LWPOLYLINE: 0b1,
  VERTEX: 0b1,
  SPLINE: 0b11, // control points (their hull holds the curve) and fit points
  LEADER: 0b1,
  MESH: 0b1,
  TEXT: 0b1,
  MTEXT: 0b1,
  ATTRIB: 0b1,
  // Definition points, text midpoint, extension line origins, arc point (12 is relative).
  DIMENSION: 0b1111011,
};

/** Types whose box is computed from scalar values at the end of the entity. */
const SPECIAL = new Set(['CIRCLE', 'ARC', 'ELLIPSE', 'INSERT']);

/** Scalar group codes kept (first occurrence) for the special types and flags. */
const SCALAR_CODES = new Uint8Array(72);
for (const c of [10, 20, 30, 11, 21, 31, 38, 40, 41, 42, 43, 44, 45, 50, 51, 70, 71]) {
  SCALAR_CODES[c] = 1;
}
const MAX_NESTED_PER_BLOCK = 2_000;
const MAX_NESTING = 64;

interface NestedInsert {
  block: string;
  values: Float64Array;
}

interface BlockExtents {
  base: [number, number, number];
  own: Box;
  nested: NestedInsert[];
  resolved: Box | null;
}

export class ExtentsTracker {
  private readonly model = new Box();
  private readonly blocks = new Map<string, BlockExtents>();
  private currentBlock: BlockExtents | null = null;

  // The entity being read.
  private type: string | null = null;
  private slots = 0;
  private readonly entity = new Box();
  private readonly values = new Float64Array(72).fill(NaN);
  /** Codes set in `values` for the current entity (reset at the next one). */
  private readonly setCodes = new Uint8Array(72);
  private setCount = 0;
  private sawZ = false;
  private readonly resolving = new Set<string>();

  /** Group codes the scanner must pass to `group()` (numbers only). */
  static wants(code: number): boolean {
    return (code >= 10 && code <= 38) || (code >= 40 && code <= 51) || code === 70 || code === 71;
  }

  beginBlock(name: string, base: [number, number, number]): void {
    const block: BlockExtents = { base, own: new Box(), nested: [], resolved: null };
    this.blocks.set(name, block);
    this.currentBlock = block;
  }

  endBlock(): void {
    this.currentBlock = null;
  }

  beginEntity(type: string): void {
    this.type = type;
    this.vertices = 0;
    this.slots = POINT_SLOTS[type] ?? 0;
    this.entity.reset();
    for (let i = 0; i < this.setCount; i++) this.values[this.setCodes[i]] = NaN;
    this.setCount = 0;
    this.sawZ = false;
  }

  /** True when the current entity's groups matter (the scanner skips reading the rest). */
  get active(): boolean {
    return this.slots !== 0 || (this.type !== null && SPECIAL.has(this.type));
  }

  group(code: number, value: number): void {
    if (
      code < 72 &&
      SCALAR_CODES[code] === 1 &&
      Number.isNaN(this.values[code]) &&
      !Number.isNaN(value)
    ) {
      this.values[code] = value;
      this.setCodes[this.setCount++] = code;
    }
    if (code === 42 && this.type === 'LWPOLYLINE' && this.vertices > 0) {
      this.bulges[this.vertices - 1] = value;
    }
    if (code < 10 || code > 38) return;
    const k = code % 10;
    if (k > 8 || ((this.slots >> k) & 1) === 0) return;
    const axis = Math.floor(code / 10) - 1;
    this.entity.add(axis, value);
    if (this.type === 'LWPOLYLINE' && k === 0 && axis < 2) this.vertex(axis, value);
    if (axis === 2) this.sawZ = true;
  }

  /** Ends the current entity: into the block being defined, or into model space. */
  endEntity(target: 'block' | 'model' | 'skip'): void {
    const type = this.type;
    this.type = null;
    if (type === null || target === 'skip') return;
    const v = this.values;
    if (type === 'INSERT') {
      const name = this.insertName;
      this.insertName = null;
      if (name === null) return;
      if (target === 'block') {
        const block = this.currentBlock;
        if (block && block.nested.length < MAX_NESTED_PER_BLOCK) {
          block.nested.push({ block: name, values: Float64Array.from(v) });
        }
        return;
      }
      this.model.union(this.insertBox(name, v, 0));
      return;
    }
    const box = this.entity;
    if (type === 'DIMENSION') {
      // Its geometry block (*D…), when the writer made one, holds the drawn lines, arrows and text
      // in WCS: like an insert at the origin. The definition points count as well.
      const name = this.insertName;
      this.insertName = null;
      if (name !== null && this.blocks.has(name)) {
        const identity = new Float64Array(72).fill(NaN);
        if (target === 'block') this.currentBlock?.nested.push({ block: name, values: identity });
        else this.model.union(this.insertBox(name, identity, 0));
      }
    }
    const outline = this.outline;
    this.outline = undefined;
    if (outline !== undefined) {
      // A text: its estimated outline replaces the insertion point (an empty text shows nothing).
      if (outline === null) return;
      const z = num(v[30], 0);
      box.reset();
      for (const [x, y] of outline) box.addPoint(x, y, z);
    } else if (SPECIAL.has(type)) {
      curveBox(type, v, box);
    } else {
      if (type === 'LWPOLYLINE') this.addBulges(box);
      if (box.empty) return;
      // A polyface face record (VERTEX flag 128 without 64) holds vertex indices, not a point.
      if (type === 'VERTEX' && (num(v[70], 0) & 192) === 128) return;
      if (!this.sawZ) {
        const z = type === 'LWPOLYLINE' ? num(v[38], 0) : 0;
        box.add(2, z);
      }
    }
    if (target === 'block') this.currentBlock?.own.union(box);
    else this.model.union(box);
  }

  /** The block name of the INSERT being read (group 2 is a string: the scanner passes it). */
  insertName: string | null = null;
  /** The estimated outline of the TEXT/MTEXT/ATTRIB being read (set by the scanner; null = none). */
  outline: [number, number][] | null | undefined = undefined;

  // LWPOLYLINE vertices (x, y, bulge), for the arcs of bulged segments.
  private vertices = 0;
  private xs: number[] = [];
  private ys: number[] = [];
  private bulges: number[] = [];

  private vertex(axis: number, value: number): void {
    if (axis === 0) {
      this.xs[this.vertices] = value;
      this.ys[this.vertices] = NaN;
      this.bulges[this.vertices] = 0;
      this.vertices++;
    } else if (this.vertices > 0) {
      this.ys[this.vertices - 1] = value;
    }
  }

  /** Adds the arcs of bulged segments (bulge = tan(included angle / 4), positive = CCW). */
  private addBulges(box: Box): void {
    const n = this.vertices;
    const closed = (num(this.values[70], 0) & 1) === 1;
    for (let i = 0; i < (closed ? n : n - 1); i++) {
      const b = this.bulges[i];
      if (!b) continue;
      const j = (i + 1) % n;
      bulgeArcBox(this.xs[i], this.ys[i], this.xs[j], this.ys[j], b, box);
    }
  }

  result(): Extents | null {
    if (this.model.empty) return null;
    const m = this.model;
    const z = (a: number) => (Number.isFinite(a) ? a : 0);
    return {
      min: [m.min(0), m.min(1), z(m.min(2))],
      max: [m.max(0), m.max(1), z(m.max(2))],
    };
  }

  /** The block's box in its own coordinates, nested inserts included (memoised, cycle-safe). */
  private blockBox(name: string, depth: number): Box | null {
    const block = this.blocks.get(name);
    if (!block) return null;
    if (block.resolved) return block.resolved;
    if (this.resolving.has(name) || depth > MAX_NESTING) return block.own;
    this.resolving.add(name);
    const box = new Box();
    box.union(block.own);
    for (const n of block.nested) box.union(this.insertBox(n.block, n.values, depth + 1));
    this.resolving.delete(name);
    block.resolved = box;
    return box;
  }

  /** The box of an insert: block box − base point, scaled, rotated, moved; MINSERT grid included. */
  private insertBox(name: string, v: Float64Array, depth: number): Box {
    const out = new Box();
    const px = num(v[10], 0);
    const py = num(v[20], 0);
    const pz = num(v[30], 0);
    const inner = this.blockBox(name, depth);
    if (!inner || inner.empty) {
      out.addPoint(px, py, pz);
      return out;
    }
    const base = (this.blocks.get(name) as BlockExtents).base;
    const sx = num(v[41], 1);
    const sy = num(v[42], 1);
    const sz = num(v[43], 1);
    const rot = (num(v[50], 0) * Math.PI) / 180;
    const cos = Math.cos(rot);
    const sin = Math.sin(rot);
    const cols = Math.max(1, num(v[70], 1));
    const rows = Math.max(1, num(v[71], 1));
    // MINSERT spacing is along the insert's rotated axes, not scaled: corners of the first and
    // the last cell of the grid.
    const gx1 = (cols - 1) * num(v[44], 0);
    const gy1 = (rows - 1) * num(v[45], 0);
    for (let corner = 0; corner < 16; corner++) {
      const lx =
        ((corner & 1 ? inner.max(0) : inner.min(0)) - base[0]) * sx + (corner & 4 ? gx1 : 0);
      const ly =
        ((corner & 2 ? inner.max(1) : inner.min(1)) - base[1]) * sy + (corner & 8 ? gy1 : 0);
      out.add(0, px + lx * cos - ly * sin);
      out.add(1, py + lx * sin + ly * cos);
    }
    if (Number.isFinite(inner.min(2))) {
      out.add(2, pz + (inner.min(2) - base[2]) * sz);
      out.add(2, pz + (inner.max(2) - base[2]) * sz);
    }
    return out;
  }
}

function num(v: number, fallback: number): number {
  return Number.isFinite(v) ? v : fallback;
}

/** Exact box of a circle, an arc, or an ellipse (arc): centre + major axis·cos t + minor axis·sin t. */
function curveBox(type: string, v: Float64Array, box: Box): void {
  const cx = v[10];
  const cy = v[20];
  const cz = num(v[30], 0);
  if (!Number.isFinite(cx) || !Number.isFinite(cy)) return;
  let mx: number;
  let my: number;
  let ratio: number;
  let t0 = 0;
  let t1 = 2 * Math.PI;
  if (type === 'CIRCLE') {
    const r = Math.abs(num(v[40], NaN));
    if (!Number.isFinite(r)) return;
    box.addPoint(cx - r, cy - r, cz);
    box.addPoint(cx + r, cy + r, cz);
    return;
  }
  if (type === 'ELLIPSE') {
    mx = num(v[11], NaN);
    my = num(v[21], NaN);
    ratio = num(v[40], 1);
    if (!Number.isFinite(mx) || !Number.isFinite(my)) return;
    t0 = num(v[41], 0);
    t1 = num(v[42], 2 * Math.PI);
  } else {
    const r = num(v[40], NaN);
    if (!Number.isFinite(r)) return;
    mx = r;
    my = 0;
    ratio = 1;
    if (type === 'ARC') {
      t0 = (num(v[50], 0) * Math.PI) / 180;
      t1 = (num(v[51], 360) * Math.PI) / 180;
    }
  }
  // Minor axis = major axis turned 90° counter-clockwise, times the ratio.
  ellipseArc(cx, cy, mx, my, -my * ratio, mx * ratio, t0, normalise(t1 - t0) || 2 * Math.PI, box);
  box.add(2, cz);
}

/** Box of centre + m·cos t + n·sin t for t from t0 over `sweep` (counter-clockwise). */
function ellipseArc(
  cx: number,
  cy: number,
  mx: number,
  my: number,
  nx: number,
  ny: number,
  t0: number,
  sweep: number,
  box: Box,
): void {
  const at = (t: number) => {
    box.add(0, cx + mx * Math.cos(t) + nx * Math.sin(t));
    box.add(1, cy + my * Math.cos(t) + ny * Math.sin(t));
  };
  at(t0);
  at(t0 + sweep);
  // Where d/dt of x or y is zero: t = atan2(n, m) and that + π.
  for (const t of [Math.atan2(nx, mx), Math.atan2(ny, my)]) {
    for (const c of [t, t + Math.PI]) {
      if (normalise(c - t0) <= sweep) at(c);
    }
  }
}

/** The arc of a bulged polyline segment from (x1, y1) to (x2, y2). */
function bulgeArcBox(x1: number, y1: number, x2: number, y2: number, bulge: number, box: Box) {
  if (![x1, y1, x2, y2, bulge].every(Number.isFinite)) return;
  const f = (1 - bulge * bulge) / (4 * bulge);
  const cx = (x1 + x2) / 2 - f * (y2 - y1);
  const cy = (y1 + y2) / 2 + f * (x2 - x1);
  const r = Math.hypot(x1 - cx, y1 - cy);
  if (r === 0) return;
  const a1 = Math.atan2(y1 - cy, x1 - cx);
  const a2 = Math.atan2(y2 - cy, x2 - cx);
  // Counter-clockwise from a1 to a2 for a positive bulge, else from a2 to a1.
  const [start, end] = bulge > 0 ? [a1, a2] : [a2, a1];
  ellipseArc(cx, cy, r, 0, 0, r, start, normalise(end - start) || 2 * Math.PI, box);
}

/** An angle in [0, 2π). */
function normalise(a: number): number {
  const tau = 2 * Math.PI;
  return ((a % tau) + tau) % tau;
}
