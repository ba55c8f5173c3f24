/** Turns the collected groups of one entity (parallel `codes`/`vals` arrays) into typed records. */
import { CadAttribute, CadTextBlock } from '../cad-result';
import { RawDimension } from './dxf-dimensions';
import { Tolerance, plainMText, plainText } from './dxf-text';

export type Vec3 = [number, number, number];

/**
 * The groups of one entity, as collected while streaming: numeric group codes keep their value in
 * `nums`, string codes in `vals` (arrays are reused; `n` pairs are valid).
 */
export interface Tags {
  codes: number[];
  vals: string[];
  nums: number[];
  n: number;
}

/** Group codes whose values are numbers (DXF reference, group code value types). */
export function isNumericCode(c: number): boolean {
  return (
    (c >= 10 && c <= 99) ||
    (c >= 110 && c <= 149) ||
    (c >= 160 && c <= 179) ||
    (c >= 210 && c <= 239) ||
    (c >= 270 && c <= 289) ||
    (c >= 370 && c <= 389) ||
    (c >= 400 && c <= 409) ||
    (c >= 420 && c <= 429) ||
    (c >= 440 && c <= 469) ||
    (c >= 1010 && c <= 1071)
  );
}

export function tagStr(t: Tags, code: number): string | null {
  for (let i = 0; i < t.n; i++) if (t.codes[i] === code) return t.vals[i];
  return null;
}

export function tagNum(t: Tags, code: number): number | null {
  for (let i = 0; i < t.n; i++) {
    if (t.codes[i] !== code) continue;
    const v = isNumericCode(code) ? t.nums[i] : parseFloat(t.vals[i]);
    return Number.isFinite(v) ? v : null;
  }
  return null;
}

/** Point from codes (x, x+10, x+20); z defaults to 0; null when x or y is missing. */
export function tagPoint(t: Tags, xCode: number): Vec3 | null {
  const x = tagNum(t, xCode);
  const y = tagNum(t, xCode + 10);
  if (x === null || y === null) return null;
  return [x, y, tagNum(t, xCode + 20) ?? 0];
}

/** Index of the first XDATA / embedded-object group: regular groups end there. */
export function regularEndOf(t: Tags): number {
  return regularEnd(t);
}

function regularEnd(t: Tags): number {
  for (let i = 0; i < t.n; i++) if (t.codes[i] === 101 || t.codes[i] >= 1000) return i;
  return t.n;
}

export function textRecord(type: string, t: Tags, layer: string): CadTextBlock | null {
  const end = regularEnd(t);
  let raw = '';
  let height: number | null = null;
  let rotation: number | null = null;
  let halign = 0;
  let valign = 0;
  const valignCode = type === 'ATTRIB' || type === 'ATTDEF' ? 74 : 73;
  for (let i = 0; i < end; i++) {
    const c = t.codes[i];
    const v = t.nums[i];
    if (c === 1) raw += t.vals[i];
    else if (c === 40) height = v;
    else if (c === 50) rotation = v;
    else if (c === 72) halign = v || 0;
    else if (c === valignCode) valign = v || 0;
  }
  if (type === 'MTEXT') {
    // Chunks (code 3) come before the final part (code 1) in file order: rebuild in that order.
    raw = '';
    for (let i = 0; i < end; i++) if (t.codes[i] === 3) raw += t.vals[i];
    for (let i = 0; i < end; i++) if (t.codes[i] === 1) raw += t.vals[i];
    if (rotation === null) {
      const dx = tagNum(t, 11);
      const dy = tagNum(t, 21);
      if (dx !== null && dy !== null && (dx !== 1 || dy !== 0)) {
        rotation = (Math.atan2(dy, dx) * 180) / Math.PI;
      }
    }
  }
  const text = (type === 'MTEXT' ? plainMText(raw) : plainText(raw)).trim();
  if (text === '') return null;
  const aligned = type !== 'MTEXT' && (halign !== 0 || valign !== 0);
  const position = (aligned ? tagPoint(t, 11) : null) ?? tagPoint(t, 10);
  return {
    text,
    height: height !== null && Number.isFinite(height) ? height : null,
    position,
    layer,
    rotation: rotation !== null && Number.isFinite(rotation) ? rotation : 0,
    kind: type,
  };
}

export interface AttribRecord extends CadAttribute {
  invisible: boolean;
  text: CadTextBlock | null;
}

export function attribRecord(t: Tags, layer: string): AttribRecord {
  const tag = tagStr(t, 2) ?? '';
  const flags = tagNum(t, 70) ?? 0;
  const text = textRecord('ATTRIB', t, layer);
  return { tag, value: text?.text ?? '', invisible: (flags & 1) === 1, text };
}

export interface AttdefRecord {
  tag: string;
  default_value: string;
  prompt: string | null;
}

export function attdefRecord(t: Tags): AttdefRecord {
  return {
    tag: tagStr(t, 2) ?? '',
    default_value: plainText(tagStr(t, 1) ?? ''),
    prompt: tagStr(t, 3) || null,
  };
}

/** DIMTOL (71), DIMTP (47), DIMTM (48) from the ACAD "DSTYLE" XDATA override. */
function styleOverrideTolerance(t: Tags): Tolerance | null {
  let i = 0;
  while (i < t.n && !(t.codes[i] === 1000 && t.vals[i] === 'DSTYLE')) i++;
  if (i >= t.n) return null;
  const vars = new Map<number, number>();
  for (i++; i + 1 < t.n; i++) {
    if (t.codes[i] === 1002 && t.vals[i] === '}') break;
    if (t.codes[i] === 1070) {
      vars.set(t.nums[i], t.codes[i + 1] === 1000 ? parseFloat(t.vals[i + 1]) : t.nums[i + 1]);
      i++;
    }
  }
  if (vars.get(71) !== 1) return null;
  const tp = vars.get(47) ?? 0;
  const tm = vars.get(48) ?? 0;
  return { plus: tp, minus: tm === 0 ? 0 : -tm };
}

export function dimensionRecord(t: Tags, layer: string): RawDimension {
  const points: RawDimension['points'] = {};
  for (const c of [10, 13, 14, 15, 16] as const) {
    const p = tagPoint(t, c);
    if (p) points[c] = p;
  }
  const end = regularEnd(t);
  let text: string | null = null;
  for (let i = 0; i < end; i++) if (t.codes[i] === 1) text = t.vals[i];
  return {
    flags: tagNum(t, 70) ?? 0,
    points,
    angle: tagNum(t, 50) ?? 0,
    measurement: tagNum(t, 42),
    text,
    layer,
    style: tagStr(t, 3),
    styleTolerance: styleOverrideTolerance(t),
  };
}

/** Closed axis-aligned rectangle of an LWPOLYLINE (a drawing border candidate), or null. */
export function rectangleOf(t: Tags): { min: [number, number]; max: [number, number] } | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < t.n; i++) {
    if (t.codes[i] === 10) xs.push(t.nums[i]);
    else if (t.codes[i] === 20) ys.push(t.nums[i]);
  }
  if (xs.length !== ys.length || xs.length < 4 || xs.length > 5) return null;
  const closed = ((tagNum(t, 70) ?? 0) & 1) === 1;
  if (xs.length === 5 && !(xs[4] === xs[0] && ys[4] === ys[0])) return null;
  if (xs.length === 4 && !closed) return null;
  const ux = [...new Set(xs.slice(0, 4))];
  const uy = [...new Set(ys.slice(0, 4))];
  if (ux.length !== 2 || uy.length !== 2) return null;
  return { min: [Math.min(...ux), Math.min(...uy)], max: [Math.max(...ux), Math.max(...uy)] };
}
