/**
 * Borderless tables: runs of consecutive lines that each hold several separated segments whose
 * x-extents line up into the same columns. Columns are the union of the segments' x-intervals
 * over the run, so left-, right- and centre-aligned columns all work.
 */
import { BBox, TextSegment } from './pdf-types';
import { unionBBox } from './text-layout';
import { GridCandidate, confidenceOf } from './ruled-tables';

const MIN_LINES = 3;
const MAX_LINE_GAP_RATIO = 1.6;
/** Paragraph columns are not tables: cells of a table are short. */
const MAX_MEDIAN_CELL_CHARS = 30;
const MIN_FILL = 0.6;
/** Body rows of a table are evenly spaced; scattered callouts on a drawing are not. */
const MAX_PITCH_SPREAD = 1.6;

function evenlySpaced(lines: TextSegment[][]): boolean {
  const tops = lines.map((l) => Math.min(...l.map((s) => s.bbox[1])));
  // The gap under the header row may be wider: judge the body rows only.
  const pitches = tops.slice(2).map((t, k) => t - tops[k + 1]);
  if (pitches.length < 2) return true;
  return Math.max(...pitches) <= MAX_PITCH_SPREAD * Math.min(...pitches);
}

function toLines(segments: TextSegment[]): TextSegment[][] {
  const sorted = [...segments].sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
  const lines: { y0: number; y1: number; segs: TextSegment[] }[] = [];
  for (const seg of sorted) {
    const last = lines[lines.length - 1];
    const h = seg.bbox[3] - seg.bbox[1];
    if (last && Math.min(last.y1, seg.bbox[3]) - Math.max(last.y0, seg.bbox[1]) > 0.5 * h) {
      last.segs.push(seg);
      last.y1 = Math.max(last.y1, seg.bbox[3]);
    } else {
      lines.push({ y0: seg.bbox[1], y1: seg.bbox[3], segs: [seg] });
    }
  }
  return lines.map((l) => l.segs.sort((a, b) => a.bbox[0] - b.bbox[0]));
}

function columnsOf(lines: TextSegment[][]): [number, number][] {
  const spans = lines.flat().map((s) => [s.bbox[0], s.bbox[2]] as [number, number]);
  spans.sort((a, b) => a[0] - b[0]);
  const columns: [number, number][] = [];
  for (const [x0, x1] of spans) {
    const last = columns[columns.length - 1];
    if (last && x0 <= last[1] + 1) last[1] = Math.max(last[1], x1);
    else columns.push([x0, x1]);
  }
  return columns;
}

function evaluateRun(lines: TextSegment[][]): GridCandidate | null {
  if (lines.length < MIN_LINES || !evenlySpaced(lines)) return null;
  const columns = columnsOf(lines);
  if (columns.length < 2) return null;
  const cellSegments = lines.map((line) => {
    const row: TextSegment[][] = columns.map(() => []);
    for (const seg of line) {
      const c = columns.findIndex(([x0, x1]) => seg.bbox[0] >= x0 - 1 && seg.bbox[2] <= x1 + 1);
      row[c].push(seg);
    }
    return row;
  });
  const cells = cellSegments.map((row) => row.map((segs) => segs.map((s) => s.text).join(' ')));
  const cellConfidence = cellSegments.map((row) => row.map(confidenceOf));
  const filled = cells.flat().filter((c) => c.length > 0);
  if (filled.length / (lines.length * columns.length) < MIN_FILL) return null;
  const lengths = filled.map((c) => c.length).sort((a, b) => a - b);
  if (lengths[Math.floor(lengths.length / 2)] > MAX_MEDIAN_CELL_CHARS) return null;
  const segs = lines.flat();
  const bbox: BBox = unionBBox(segs.map((s) => s.bbox));
  return { bbox, cells, cellConfidence, items: new Set(segs.flatMap((s) => s.items)) };
}

/** Finds borderless table candidates among segments not already claimed by other analyses. */
export function findBorderlessGrids(segments: TextSegment[]): GridCandidate[] {
  const lines = toLines(segments);
  const grids: GridCandidate[] = [];
  let run: TextSegment[][] = [];
  const flush = (): void => {
    const grid = evaluateRun(run);
    if (grid) grids.push(grid);
    run = [];
  };
  for (const line of lines) {
    if (line.length < 2) {
      flush();
      continue;
    }
    const prev = run[run.length - 1];
    if (prev) {
      const prevBottom = Math.max(...prev.map((s) => s.bbox[3]));
      const top = Math.min(...line.map((s) => s.bbox[1]));
      const height = Math.max(...line.map((s) => s.bbox[3] - s.bbox[1]));
      if (top - prevBottom > MAX_LINE_GAP_RATIO * height) flush();
    }
    run.push(line);
  }
  flush();
  return grids;
}
