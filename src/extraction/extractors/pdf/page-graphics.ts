/**
 * Walks a page's operator list and collects what table detection needs: axis-aligned rules
 * (stroked lines, rectangle edges, thin filled bars) in display coordinates; and for the OCR
 * decision, how much of the page images cover and the small painted marks (vector text). Tracks the transformation matrix through
 * save / restore / transform and form XObjects.
 */
import type { PdfJs } from './pdfjs-loader';
import { StrokeMark, markOf } from './vector-text';

export type Matrix = [number, number, number, number, number, number];

export interface Rule {
  /** 'h': y fixed, x0..x1; 'v': x fixed, y0..y1 (display coordinates, y down). */
  orientation: 'h' | 'v';
  at: number;
  from: number;
  to: number;
}

export interface PageGraphics {
  rules: Rule[];
  /** Fraction (0..1) of the page area painted by images (overlaps counted twice, capped). */
  imageCoverage: number;
  /** Small painted subpaths (glyph strokes among them), for vector-text detection. */
  marks: StrokeMark[];
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** Filled rectangles thinner than this (points) are drawn rules, not shading. */
const THIN_FILL = 2.5;
const MIN_RULE_LENGTH = 3;
const AXIS_TOLERANCE = 0.5;
/** Enough marks to judge a page; beyond this a page is not read further for them. */
const MAX_MARKS = 100_000;
// pdf.js DrawOPS codes inside constructPath data.
const MOVE = 0;
const LINE = 1;
const CURVE = 2;
const QUAD = 3;
const CLOSE = 4;

export function multiply(m: readonly number[], n: readonly number[]): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export function applyMatrix(m: readonly number[], x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

type Point = [number, number];

/** Splits constructPath data into subpaths of points; curves make the subpath non-rectilinear. */
function subpaths(
  data: ArrayLike<number>,
): { points: Point[]; closed: boolean; curved: boolean }[] {
  const result: { points: Point[]; closed: boolean; curved: boolean }[] = [];
  let current: { points: Point[]; closed: boolean; curved: boolean } | null = null;
  for (let i = 0; i < data.length;) {
    const op = data[i++];
    if (op === MOVE) {
      current = { points: [[data[i], data[i + 1]]], closed: false, curved: false };
      result.push(current);
      i += 2;
    } else if (op === LINE) {
      if (!current) {
        current = { points: [], closed: false, curved: false };
        result.push(current);
      }
      current.points.push([data[i], data[i + 1]]);
      i += 2;
    } else if (op === CURVE || op === QUAD) {
      const n = op === CURVE ? 6 : 4;
      if (current) {
        current.curved = true;
        current.points.push([data[i + n - 2], data[i + n - 1]]);
      }
      i += n;
    } else if (op === CLOSE) {
      if (current) current.closed = true;
    } else {
      break; // Unknown code: stop rather than misread the rest.
    }
  }
  return result;
}

function pathData(args: unknown[]): ArrayLike<number> | null {
  const raw = args[1];
  // pdf.js 5: [paintOp, [Float32Array], minMax]; tolerate a bare typed array as well.
  if (Array.isArray(raw) && raw.length > 0 && ArrayBuffer.isView(raw[0])) {
    return raw[0] as unknown as ArrayLike<number>;
  }
  if (ArrayBuffer.isView(raw)) return raw as unknown as ArrayLike<number>;
  return null;
}

function toRule(a: Point, b: Point): Rule | null {
  if (Math.abs(a[1] - b[1]) <= AXIS_TOLERANCE && Math.abs(a[0] - b[0]) >= MIN_RULE_LENGTH) {
    return {
      orientation: 'h',
      at: (a[1] + b[1]) / 2,
      from: Math.min(a[0], b[0]),
      to: Math.max(a[0], b[0]),
    };
  }
  if (Math.abs(a[0] - b[0]) <= AXIS_TOLERANCE && Math.abs(a[1] - b[1]) >= MIN_RULE_LENGTH) {
    return {
      orientation: 'v',
      at: (a[0] + b[0]) / 2,
      from: Math.min(a[1], b[1]),
      to: Math.max(a[1], b[1]),
    };
  }
  return null;
}

/** An axis-aligned rectangle subpath, as [minX, minY, maxX, maxY]; null otherwise. */
function asRectangle(points: Point[]): [number, number, number, number] | null {
  const pts = points.length === 5 ? points.slice(0, 4) : points;
  if (pts.length !== 4) return null;
  for (let k = 0; k < 4; k++) {
    const a = pts[k];
    const b = pts[(k + 1) % 4];
    if (Math.abs(a[0] - b[0]) > AXIS_TOLERANCE && Math.abs(a[1] - b[1]) > AXIS_TOLERANCE)
      return null;
  }
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function collectRules(
  points: Point[],
  closed: boolean,
  filled: boolean,
  stroked: boolean,
  out: Rule[],
): void {
  const rect = asRectangle(points);
  if (filled && rect) {
    const [x0, y0, x1, y1] = rect;
    if (y1 - y0 <= THIN_FILL && x1 - x0 >= MIN_RULE_LENGTH) {
      out.push({ orientation: 'h', at: (y0 + y1) / 2, from: x0, to: x1 });
      return;
    }
    if (x1 - x0 <= THIN_FILL && y1 - y0 >= MIN_RULE_LENGTH) {
      out.push({ orientation: 'v', at: (x0 + x1) / 2, from: y0, to: y1 });
      return;
    }
    if (!stroked) return; // Shading, not rules.
  }
  if (!stroked) return;
  const edges = closed && points.length > 2 ? [...points, points[0]] : points;
  for (let k = 1; k < edges.length; k++) {
    const rule = toRule(edges[k - 1], edges[k]);
    if (rule) out.push(rule);
  }
}

/** Reads rules and image coverage; `viewportTransform` maps PDF space to display space. */
export function readPageGraphics(
  pdfjs: PdfJs,
  operatorList: { fnArray: number[]; argsArray: unknown[] },
  viewportTransform: readonly number[],
  pageArea: number,
): PageGraphics {
  const OPS = pdfjs.OPS;
  const strokeOps = new Set<number>([OPS.stroke, OPS.closeStroke]);
  const fillOps = new Set<number>([OPS.fill, OPS.eoFill]);
  const bothOps = new Set<number>([
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.closeFillStroke,
    OPS.closeEOFillStroke,
  ]);
  const imageOps = new Set<number>([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageMaskXObject,
    OPS.paintImageXObjectRepeat,
  ]);
  const stack: Matrix[] = [];
  let ctm: Matrix = [...IDENTITY];
  const rules: Rule[] = [];
  const marks: StrokeMark[] = [];
  let imageArea = 0;
  const { fnArray, argsArray } = operatorList;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = (argsArray[i] ?? []) as unknown[];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, args as number[]);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      const matrix = args[0] as number[] | null;
      if (matrix && matrix.length === 6) ctm = multiply(ctm, Array.from(matrix));
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (imageOps.has(fn)) {
      const m = multiply(viewportTransform, ctm);
      imageArea += Math.abs(m[0] * m[3] - m[1] * m[2]);
    } else if (fn === OPS.constructPath) {
      const paintOp = args[0] as number;
      const stroked = strokeOps.has(paintOp) || bothOps.has(paintOp);
      const filled = fillOps.has(paintOp) || bothOps.has(paintOp);
      if (!stroked && !filled) continue; // endPath: clipping paths draw nothing.
      const data = pathData(args);
      if (!data) continue;
      const m = multiply(viewportTransform, ctm);
      for (const sub of subpaths(data)) {
        const points = sub.points.map(([x, y]) => applyMatrix(m, x, y));
        const mark = marks.length < MAX_MARKS ? markOf(points, sub.curved) : null;
        if (mark) marks.push(mark);
        if (sub.curved) continue;
        const closed = sub.closed || paintOp === OPS.closeStroke || paintOp === OPS.closeFillStroke;
        collectRules(points, closed, filled, stroked, rules);
      }
    }
  }
  return {
    rules,
    imageCoverage: pageArea > 0 ? Math.min(1, imageArea / pageArea) : 0,
    marks,
  };
}
