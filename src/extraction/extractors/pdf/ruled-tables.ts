/**
 * Ruled tables: grids formed by drawn horizontal and vertical rules. Rules that touch are grouped
 * into connected components; a component becomes a grid candidate when it has at least 3 row and
 * 3 column edges (2 x 2 cells). Validation (text in most cells) happens in table-analysis.ts.
 */
import { Rule } from './page-graphics';
import { BBox, TextItem } from './pdf-types';
import { groupLines } from './text-layout';

export interface GridCandidate {
  bbox: BBox;
  cells: string[][];
  /** Character-weighted confidence of each cell's text (1 for the text layer, 0 when empty). */
  cellConfidence: number[][];
  /** Items placed in the grid, so later analyses can leave them out. */
  items: Set<TextItem>;
}

const JOIN_TOLERANCE = 2;
const EDGE_CLUSTER = 2;
/** Rules along the page margin and longer than half the page are the drawing frame. */
const FRAME_MARGIN_RATIO = 0.06;

function mergeCollinear(rules: Rule[]): Rule[] {
  const sorted = [...rules].sort((a, b) => a.at - b.at || a.from - b.from);
  const merged: Rule[] = [];
  for (const rule of sorted) {
    const last = merged[merged.length - 1];
    if (last && Math.abs(last.at - rule.at) <= 1 && rule.from <= last.to + JOIN_TOLERANCE) {
      last.to = Math.max(last.to, rule.to);
    } else {
      merged.push({ ...rule });
    }
  }
  return merged;
}

function touches(h: Rule, v: Rule): boolean {
  return (
    v.at >= h.from - JOIN_TOLERANCE &&
    v.at <= h.to + JOIN_TOLERANCE &&
    h.at >= v.from - JOIN_TOLERANCE &&
    h.at <= v.to + JOIN_TOLERANCE
  );
}

function clusterEdges(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const edges: number[] = [];
  for (const v of sorted) {
    if (edges.length === 0 || v - edges[edges.length - 1] > EDGE_CLUSTER) edges.push(v);
  }
  return edges;
}

function isFrameRule(rule: Rule, width: number, height: number): boolean {
  const along = rule.orientation === 'h' ? width : height;
  const across = rule.orientation === 'h' ? height : width;
  const margin = FRAME_MARGIN_RATIO * across;
  const nearEdge = rule.at <= margin || rule.at >= across - margin;
  return nearEdge && rule.to - rule.from >= 0.5 * along;
}

function indexOfBand(edges: number[], value: number): number {
  for (let k = 0; k < edges.length - 1; k++) {
    if (value >= edges[k] && value < edges[k + 1]) return k;
  }
  return -1;
}

/** Character-weighted confidence of some text items (0 for none). */
export function confidenceOf(items: { text: string; confidence: number }[]): number {
  const chars = items.reduce((n, i) => n + i.text.length, 0);
  return chars === 0 ? 0 : items.reduce((s, i) => s + i.confidence * i.text.length, 0) / chars;
}

/** Finds grid candidates and fills their cells with the text items whose centre falls inside. */
export function findRuledGrids(
  rules: Rule[],
  items: TextItem[],
  width: number,
  height: number,
): GridCandidate[] {
  const usable = rules.filter((r) => !isFrameRule(r, width, height));
  const hs = mergeCollinear(usable.filter((r) => r.orientation === 'h'));
  const vs = mergeCollinear(usable.filter((r) => r.orientation === 'v'));
  const all = [...hs, ...vs];
  const parent = all.map((_, k) => k);
  const find = (k: number): number => (parent[k] === k ? k : (parent[k] = find(parent[k])));
  for (let i = 0; i < hs.length; i++) {
    for (let j = 0; j < vs.length; j++) {
      if (touches(hs[i], vs[j])) parent[find(i)] = find(hs.length + j);
    }
  }
  const components = new Map<number, Rule[]>();
  all.forEach((rule, k) => {
    const root = find(k);
    components.set(root, [...(components.get(root) ?? []), rule]);
  });

  const grids: GridCandidate[] = [];
  for (const component of components.values()) {
    const rowEdges = clusterEdges(component.filter((r) => r.orientation === 'h').map((r) => r.at));
    const colEdges = clusterEdges(component.filter((r) => r.orientation === 'v').map((r) => r.at));
    if (rowEdges.length < 3 || colEdges.length < 3) continue;
    const bbox: BBox = [
      colEdges[0],
      rowEdges[0],
      colEdges[colEdges.length - 1],
      rowEdges[rowEdges.length - 1],
    ];
    const cellItems: TextItem[][][] = rowEdges.slice(1).map(() => colEdges.slice(1).map(() => []));
    const placed = new Set<TextItem>();
    for (const item of items) {
      const r = indexOfBand(rowEdges, (item.y0 + item.y1) / 2);
      const c = indexOfBand(colEdges, (item.x0 + item.x1) / 2);
      if (r < 0 || c < 0) continue;
      cellItems[r][c].push(item);
      placed.add(item);
    }
    const cells = cellItems.map((row) =>
      row.map((cell) =>
        groupLines(cell)
          .map((line) => line.map((i) => i.text.trim()).join(' '))
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim(),
      ),
    );
    const cellConfidence = cellItems.map((row) => row.map(confidenceOf));
    grids.push({ bbox, cells, cellConfidence, items: placed });
  }
  return grids.sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
}
