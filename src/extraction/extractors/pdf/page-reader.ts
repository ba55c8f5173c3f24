/**
 * Reads one page into positioned text items (text layer, OCR, or both) and drawn rules, and
 * decides whether the page needs OCR:
 *  - use_ocr absent ('auto'): pages with no text layer at all that paint something (image or
 *    paths), and pages whose small vector paths read like stroked text (CAD SHX fonts);
 *  - use_ocr true ('on'): also pages with under 20 characters of text, or mostly covered by images;
 *  - use_ocr "force": every page that paints anything;
 *  - use_ocr false ('off'): never; pages without text get a warning.
 * OCR words are merged with the text layer: a word lying on a text-layer item is dropped, so
 * nothing is read twice; noise words (geometry read as text) are dropped before the layout.
 */
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { OcrEngine } from './ocr-engine';
import { ocrTextItems } from './ocr-words';
import { PageGraphics, multiply, readPageGraphics } from './page-graphics';
import { renderPageToPng } from './page-raster';
import { OcrMode } from './pdf-options';
import { PageText, TextItem } from './pdf-types';
import type { PdfJs } from './pdfjs-loader';
import { buildSegments } from './text-layout';
import { hasVectorText } from './vector-text';

const SPARSE_TEXT_CHARS = 20;
const IMAGE_PAGE_COVERAGE = 0.5;

export interface PageContent {
  text: PageText;
  graphics: PageGraphics | null;
  ocrUsed: boolean;
  warnings: string[];
}

export interface PageReadOptions {
  needGraphics: boolean;
  ocr: OcrMode;
  getOcrEngine: () => OcrEngine;
  signal: AbortSignal;
}

interface RawTextItem {
  str: string;
  transform: number[];
  width: number;
}

/** Maps a pdf.js text item to display coordinates (handles /Rotate and rotated text). */
function toTextItem(raw: RawTextItem, viewportTransform: readonly number[]): TextItem | null {
  if (!raw.str || !raw.str.trim()) return null;
  const m = multiply(viewportTransform, raw.transform);
  const size = Math.hypot(m[2], m[3]);
  const advance = Math.hypot(m[0], m[1]) || 1;
  const dir: [number, number] = [m[0] / advance, m[1] / advance];
  const corners: [number, number][] = [];
  for (const t of [0, raw.width]) {
    for (const s of [-0.2, 0.8]) {
      corners.push([m[4] + dir[0] * t + m[2] * s, m[5] + dir[1] * t + m[3] * s]);
    }
  }
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  return {
    text: raw.str,
    x0: Math.min(...xs),
    y0: Math.min(...ys),
    x1: Math.max(...xs),
    y1: Math.max(...ys),
    fontSize: Math.round(size * 100) / 100,
    horizontal: dir[0] > 0.99,
    confidence: 1,
  };
}

/** An OCR word already in the text layer: its centre on a text item, or half its area under one. */
function readAlready(word: TextItem, textLayer: TextItem[]): boolean {
  const cx = (word.x0 + word.x1) / 2;
  const cy = (word.y0 + word.y1) / 2;
  const area = Math.max(1e-6, (word.x1 - word.x0) * (word.y1 - word.y0));
  return textLayer.some((o) => {
    if (cx >= o.x0 && cx <= o.x1 && cy >= o.y0 && cy <= o.y1) return true;
    const w = Math.min(word.x1, o.x1) - Math.max(word.x0, o.x0);
    const h = Math.min(word.y1, o.y1) - Math.max(word.y0, o.y0);
    return w > 0 && h > 0 && w * h > 0.5 * area;
  });
}

async function ocrItems(
  page: PDFPageProxy,
  engine: OcrEngine,
  signal: AbortSignal,
): Promise<TextItem[]> {
  const { png, scale } = await renderPageToPng(page);
  return ocrTextItems(await engine.recognize(png, signal), scale);
}

export async function readPage(
  pdfjs: PdfJs,
  doc: PDFDocumentProxy,
  pageNumber: number,
  opts: PageReadOptions,
): Promise<PageContent> {
  const page = await doc.getPage(pageNumber);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const warnings: string[] = [];
    const content = await page.getTextContent();
    let items = (content.items as unknown as RawTextItem[])
      .filter((i) => typeof i.str === 'string')
      .map((i) => toTextItem(i, viewport.transform))
      .filter((i): i is TextItem => i !== null);
    const chars = items.reduce((n, i) => n + i.text.replace(/\s/g, '').length, 0);

    const mayOcr = opts.ocr !== 'off';
    let graphics: PageGraphics | null = null;
    let paintsPaths = false;
    if (opts.needGraphics || mayOcr) {
      const ops = await page.getOperatorList();
      graphics = readPageGraphics(pdfjs, ops, viewport.transform, viewport.width * viewport.height);
      paintsPaths = ops.fnArray.includes(pdfjs.OPS.constructPath);
    }
    const coverage = graphics?.imageCoverage ?? 0;
    const paints = coverage > 0 || paintsPaths;
    const vectorText = mayOcr && paintsPaths && hasVectorText(graphics?.marks ?? []);
    const auto = (chars === 0 && paints) || vectorText;
    const wantsOcr =
      (opts.ocr === 'auto' && auto) ||
      (opts.ocr === 'on' &&
        (auto || chars < SPARSE_TEXT_CHARS || coverage >= IMAGE_PAGE_COVERAGE)) ||
      (opts.ocr === 'force' && (chars > 0 || paints));
    if (opts.ocr === 'off' && chars === 0) {
      warnings.push(`page ${pageNumber} has no text layer and OCR is off`);
    }

    let ocrUsed = false;
    if (wantsOcr) {
      const ocr = await ocrItems(page, opts.getOcrEngine(), opts.signal);
      items = [...items, ...ocr.filter((w) => !readAlready(w, items))];
      ocrUsed = true;
      if (ocr.length === 0) warnings.push(`page ${pageNumber}: OCR found no text`);
    }
    const text: PageText = {
      page: pageNumber,
      width: viewport.width,
      height: viewport.height,
      items,
      segments: buildSegments(items),
      source: ocrUsed ? 'ocr' : 'text',
    };
    return { text, graphics: opts.needGraphics ? graphics : null, ocrUsed, warnings };
  } finally {
    page.cleanup();
  }
}
