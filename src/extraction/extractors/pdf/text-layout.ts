/**
 * Reading-order layout: positioned text items -> segments (phrases on one baseline) -> lines ->
 * blocks (paragraph-like groups). Pure geometry, shared by the text layer and OCR output.
 */
import { BBox, TextItem, TextSegment } from './pdf-types';

/** A gap wider than this many ems ends a segment (cells and label/value pairs stay apart). */
const SEGMENT_GAP_EM = 1.0;
/** A gap wider than this many ems inside a segment is written as a space. */
const SPACE_GAP_EM = 0.15;

export function unionBBox(boxes: BBox[]): BBox {
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

export const itemBBox = (i: TextItem): BBox => [i.x0, i.y0, i.x1, i.y1];
export const centerX = (b: BBox): number => (b[0] + b[2]) / 2;
export const centerY = (b: BBox): number => (b[1] + b[3]) / 2;

function sameLine(a: { y0: number; y1: number }, b: { y0: number; y1: number }): boolean {
  const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return overlap > 0.5 * Math.min(a.y1 - a.y0, b.y1 - b.y0);
}

/**
 * Groups items into visual lines (top to bottom), each sorted left to right. OCR words keep the
 * lines the OCR engine found: grouping them by geometry lets one tall word (a dimension line read
 * as text) pull several text lines into one.
 */
export function groupLines(items: TextItem[]): TextItem[][] {
  const horizontal = items
    .filter((i) => i.horizontal && i.ocrLine === undefined)
    .sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  const lines: { y0: number; y1: number; items: TextItem[] }[] = [];
  for (const item of horizontal) {
    // Only the last few lines can still match: items arrive sorted by their top edge.
    let target: (typeof lines)[number] | undefined;
    for (let k = lines.length - 1; k >= Math.max(0, lines.length - 4); k--) {
      if (sameLine(lines[k], item)) {
        target = lines[k];
        break;
      }
    }
    if (target) {
      target.items.push(item);
      target.y0 = Math.min(target.y0, item.y0);
      target.y1 = Math.max(target.y1, item.y1);
    } else {
      lines.push({ y0: item.y0, y1: item.y1, items: [item] });
    }
  }
  const ocrLines = new Map<number, TextItem[]>();
  for (const item of items) {
    if (!item.horizontal || item.ocrLine === undefined) continue;
    ocrLines.set(item.ocrLine, [...(ocrLines.get(item.ocrLine) ?? []), item]);
  }
  for (const line of ocrLines.values()) {
    lines.push({
      y0: Math.min(...line.map((i) => i.y0)),
      y1: Math.max(...line.map((i) => i.y1)),
      items: line,
    });
  }
  const result = lines.sort((a, b) => a.y0 - b.y0).map((l) => l.items.sort((a, b) => a.x0 - b.x0));
  // Vertical text cannot share a line with anything: one line per item, in position order.
  for (const item of items.filter((i) => !i.horizontal)) result.push([item]);
  return result;
}

function makeSegment(items: TextItem[]): TextSegment {
  let text = '';
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    if (k > 0) {
      const prev = items[k - 1];
      const em = Math.max(prev.fontSize, item.fontSize, 1);
      const needsSpace = item.x0 - prev.x1 > SPACE_GAP_EM * em;
      if (needsSpace && !text.endsWith(' ') && !item.text.startsWith(' ')) text += ' ';
    }
    text += item.text;
  }
  const chars = items.reduce((n, i) => n + i.text.length, 0) || 1;
  return {
    text: text.replace(/\s+/g, ' ').trim(),
    bbox: unionBBox(items.map(itemBBox)),
    fontSize: Math.max(...items.map((i) => i.fontSize)),
    items,
    confidence: items.reduce((s, i) => s + i.confidence * i.text.length, 0) / chars,
  };
}

/** Splits each line where the gap between items exceeds about one em. */
export function buildSegments(items: TextItem[]): TextSegment[] {
  const segments: TextSegment[] = [];
  for (const line of groupLines(items)) {
    let run: TextItem[] = [];
    for (const item of line) {
      const prev = run[run.length - 1];
      if (prev && item.x0 - prev.x1 > SEGMENT_GAP_EM * Math.max(prev.fontSize, item.fontSize)) {
        segments.push(makeSegment(run));
        run = [];
      }
      run.push(item);
    }
    if (run.length > 0) segments.push(makeSegment(run));
  }
  return segments.filter((s) => s.text.length > 0);
}

export interface LayoutBlock {
  text: string;
  bbox: BBox;
  fontSize: number;
  confidence: number;
  segments: TextSegment[];
}

/**
 * Stacks segments into blocks: a segment joins the block just above it when they overlap
 * horizontally, the vertical gap is under one line height and the font sizes are close.
 */
export function buildBlocks(segments: TextSegment[]): LayoutBlock[] {
  const ordered = [...segments].sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
  const blocks: { segments: TextSegment[]; bbox: BBox; fontSize: number }[] = [];
  for (const seg of ordered) {
    const target = blocks.find((b) => {
      const last = b.segments[b.segments.length - 1];
      const gap = seg.bbox[1] - last.bbox[3];
      const xOverlap = Math.min(b.bbox[2], seg.bbox[2]) - Math.max(b.bbox[0], seg.bbox[0]);
      const sizeRatio =
        Math.max(seg.fontSize, b.fontSize) / Math.max(1, Math.min(seg.fontSize, b.fontSize));
      return (
        gap > -0.3 * seg.fontSize && gap < 0.9 * seg.fontSize && xOverlap > 0 && sizeRatio < 1.25
      );
    });
    if (target) {
      target.segments.push(seg);
      target.bbox = unionBBox([target.bbox, seg.bbox]);
    } else {
      blocks.push({ segments: [seg], bbox: seg.bbox, fontSize: seg.fontSize });
    }
  }
  return readingOrder(blocks).map((b) => {
    const chars = b.segments.reduce((n, s) => n + s.text.length, 0) || 1;
    return {
      text: b.segments.map((s) => s.text).join('\n'),
      bbox: b.bbox,
      fontSize: b.fontSize,
      confidence: b.segments.reduce((sum, s) => sum + s.confidence * s.text.length, 0) / chars,
      segments: b.segments,
    };
  });
}

/**
 * Orders blocks top to bottom in bands: blocks whose first lines overlap vertically (a label and
 * its value, side-by-side columns) share a band and are read left to right.
 */
function readingOrder<T extends { bbox: BBox; segments: TextSegment[] }>(blocks: T[]): T[] {
  const firstLine = (b: T): BBox => b.segments[0].bbox;
  const sorted = [...blocks].sort((a, b) => firstLine(a)[1] - firstLine(b)[1]);
  const bands: { y0: number; y1: number; members: T[] }[] = [];
  for (const block of sorted) {
    const [, y0, , y1] = firstLine(block);
    const band = bands[bands.length - 1];
    if (
      band &&
      Math.min(band.y1, y1) - Math.max(band.y0, y0) > 0.5 * Math.min(band.y1 - band.y0, y1 - y0)
    ) {
      band.members.push(block);
      band.y1 = Math.max(band.y1, y1);
    } else {
      bands.push({ y0, y1, members: [block] });
    }
  }
  return bands.flatMap((b) => b.members.sort((p, q) => p.bbox[0] - q.bbox[0]));
}

/** Character-weighted median font size: the body text size titles are compared against. */
export function bodyFontSize(segments: TextSegment[]): number {
  const sizes: [number, number][] = segments.map((s) => [s.fontSize, s.text.length]);
  sizes.sort((a, b) => a[0] - b[0]);
  const total = sizes.reduce((n, s) => n + s[1], 0);
  let seen = 0;
  for (const [size, count] of sizes) {
    seen += count;
    if (seen >= total / 2) return size;
  }
  return 0;
}
