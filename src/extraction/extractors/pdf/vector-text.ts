/**
 * Detects text drawn as vector strokes (CAD single-line SHX fonts, or TrueType text exported as
 * outlines): such a page has a text layer with little or nothing of what a reader sees.
 *
 * Every small painted subpath is a "mark" (a glyph stroke, or an arrowhead, a dash, a hatch line…).
 * Marks closer to each other than about half their size join into clusters. A cluster reads
 * like a word when it has several marks, is a row no taller than its tallest mark (or a column, for
 * vertical text) and its marks run in several directions — dashed lines and hatching are one or
 * two directions, a curve drawn as short segments is not a row. A page with a few such words has
 * vector text.
 */

export interface StrokeMark {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Straight segment direction bin (0: —, 1: /, 2: |, 3: \), or 4 for a polyline or curve. */
  kind: number;
}

/** Largest mark side (points): glyph strokes of text up to ~20 pt cap height. */
export const MAX_MARK_SIZE = 20;
const MIN_MARK_SIZE = 0.2;
/** Gap between two marks, relative to the larger one, under which they belong to one word. */
const LINK_GAP = 0.6;
const MIN_WORD_MARKS = 4;
/** A word's thin side is at most this many times its largest mark. */
const MAX_ROW_THICKNESS = 1.5;
const MIN_DIRECTIONS = 3;
/** Page verdict: at least this many words of vector text, with this many marks in all. */
const MIN_WORDS = 3;
const MIN_TEXT_MARKS = 20;

type Point = [number, number];

/** The mark of one painted subpath (display coordinates), or null when it is too large/small. */
export function markOf(points: Point[], curved: boolean): StrokeMark | null {
  if (points.length === 0) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const size = Math.max(x1 - x0, y1 - y0);
  if (size > MAX_MARK_SIZE || size < MIN_MARK_SIZE) return null;
  let kind = 4;
  if (!curved && points.length === 2) {
    const angle =
      (Math.atan2(points[1][1] - points[0][1], points[1][0] - points[0][0]) * 180) / Math.PI;
    kind = Math.round((((angle % 180) + 180) % 180) / 45) % 4;
  }
  return { x0, y0, x1, y1, kind };
}

const sizeOf = (m: StrokeMark): number => Math.max(m.x1 - m.x0, m.y1 - m.y0);

function linked(a: StrokeMark, b: StrokeMark): boolean {
  const gapX = Math.max(a.x0 - b.x1, b.x0 - a.x1, 0);
  const gapY = Math.max(a.y0 - b.y1, b.y0 - a.y1, 0);
  return Math.max(gapX, gapY) <= LINK_GAP * Math.max(sizeOf(a), sizeOf(b));
}

/** Clusters of linked marks (union-find over a spatial hash). */
function clusters(marks: StrokeMark[]): StrokeMark[][] {
  const parent = marks.map((_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k]];
    return k;
  };
  // Linked marks are at most one cell apart: a mark spans ≤ MAX_MARK_SIZE, a link ≤ LINK_GAP of it.
  const cell = MAX_MARK_SIZE * (1 + LINK_GAP);
  const grid = new Map<string, number[]>();
  marks.forEach((m, k) => {
    const key = `${Math.floor(m.x0 / cell)}:${Math.floor(m.y0 / cell)}`;
    const list = grid.get(key);
    if (list) list.push(k);
    else grid.set(key, [k]);
  });
  marks.forEach((m, k) => {
    const cx = Math.floor(m.x0 / cell);
    const cy = Math.floor(m.y0 / cell);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const j of grid.get(`${cx + dx}:${cy + dy}`) ?? []) {
          if (j > k && linked(m, marks[j])) parent[find(j)] = find(k);
        }
      }
    }
  });
  const groups = new Map<number, StrokeMark[]>();
  marks.forEach((m, k) => {
    const root = find(k);
    const group = groups.get(root);
    if (group) group.push(m);
    else groups.set(root, [m]);
  });
  return [...groups.values()];
}

function readsLikeWord(group: StrokeMark[]): boolean {
  if (group.length < MIN_WORD_MARKS) return false;
  const width = Math.max(...group.map((m) => m.x1)) - Math.min(...group.map((m) => m.x0));
  const height = Math.max(...group.map((m) => m.y1)) - Math.min(...group.map((m) => m.y0));
  const largest = Math.max(...group.map(sizeOf));
  if (Math.min(width, height) > MAX_ROW_THICKNESS * largest) return false;
  return new Set(group.map((m) => m.kind)).size >= MIN_DIRECTIONS;
}

/** True when the page's small marks form several words of stroked text. */
export function hasVectorText(marks: StrokeMark[]): boolean {
  if (marks.length < MIN_TEXT_MARKS) return false;
  const words = clusters(marks).filter(readsLikeWord);
  const textMarks = words.reduce((n, w) => n + w.length, 0);
  return words.length >= MIN_WORDS && textMarks >= MIN_TEXT_MARKS;
}
