/** Records the scanner keeps, and which group codes it collects for each record type. */
import { AttdefRecord } from './dxf-records';

export interface LayerDef {
  name: string;
  flags: number;
  color: number | null;
  trueColor: number | null;
  linetype: string | null;
  lineweight: number | null;
  plot: boolean | null;
}

export interface BlockDef {
  name: string;
  flags: number;
  base: [number, number, number];
  entityCount: number;
  /** Blocks this definition inserts, with counts (for nesting and cycle checks). */
  refs: Map<string, number>;
  attdefs: AttdefRecord[];
  xrefPath: string | null;
  description: string | null;
}

export interface InsertRecord {
  block: string;
  layer: string;
  position: [number, number, number] | null;
  attributes: { tag: string; value: string }[];
  paper: boolean;
}

export interface ScanWants {
  text: boolean;
  dimensions: boolean;
  /** Inserts with attributes (blocks, title block, BOM). */
  inserts: boolean;
  /** Closed rectangles, for the text title-block fallback. */
  rectangles: boolean;
  entities: boolean;
  maxEntities: number;
}

/** Group codes each record type needs when entities are not extracted (all others are skipped). */
function codeSet(codes: number[]): Uint8Array {
  const set = new Uint8Array(1072);
  for (const c of codes) set[c] = 1;
  return set;
}
const TEXT_CODES = codeSet([
  1, 2, 3, 10, 20, 30, 11, 21, 31, 40, 41, 42, 43, 44, 50, 70, 71, 72, 73, 74, 101,
]);
export const WANTED_CODES: Record<string, Uint8Array> = {
  TEXT: TEXT_CODES,
  MTEXT: TEXT_CODES,
  ATTRIB: TEXT_CODES,
  ATTDEF: TEXT_CODES,
  DIMENSION: codeSet([
    1, 2, 3, 10, 20, 30, 13, 23, 33, 14, 24, 34, 15, 25, 35, 16, 26, 36, 42, 50, 70, 101, 1000,
    1001, 1002, 1040, 1070,
  ]),
  INSERT: codeSet([2, 10, 20, 30, 41, 42, 43, 50]),
  LWPOLYLINE: codeSet([10, 20, 70, 90]),
  VERTEX: codeSet([10, 20, 30, 70]),
  LAYER: codeSet([2, 6, 62, 70, 290, 370, 420]),
  BLOCK: codeSet([1, 2, 3, 4, 10, 20, 30, 70]),
};

/** Increments a counter map; a hostile file with millions of distinct keys stops growing it. */
export function bump(
  map: Map<string, number>,
  key: string,
  maxKeys: number,
  warnings: Set<string>,
): void {
  const n = map.get(key);
  if (n !== undefined) map.set(key, n + 1);
  else if (map.size < maxKeys) map.set(key, 1);
  else warnings.add(`More than ${maxKeys} distinct names counted: the rest are not counted`);
}
