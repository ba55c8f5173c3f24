/**
 * Renders a pdf.js page to PNG with @napi-rs/canvas, for OCR, with long thin lines erased (text
 * touching drawing lines is misread otherwise). The canvas module is the copy pdf.js itself
 * loads (resolved from pdfjs-dist's folder; pdfjs-dist may ship its own version): pdf.js fills in
 * Path2D/DOMMatrix from that copy, and a canvas from another copy refuses them.
 */
import { createRequire } from 'node:module';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { eraseLines } from './line-removal';

/** 300 DPI is tesseract's sweet spot for body text; scaled down for very large sheets. */
export const OCR_DPI = Number(process.env.PDF_OCR_DPI ?? 300);
/** Longest rendered side in pixels (an A0 sheet at 300 DPI would be ~14000 px). */
const MAX_SIDE_PX = 6000;

export interface RasterPage {
  png: Buffer;
  /** Pixels per PDF point of the rendered image. */
  scale: number;
}

type CanvasModule = typeof import('@napi-rs/canvas');
let canvasLib: CanvasModule | null = null;

function canvasModule(): CanvasModule {
  if (!canvasLib) {
    const fromPdfJs = createRequire(require.resolve('pdfjs-dist/package.json'));
    canvasLib = fromPdfJs('@napi-rs/canvas') as CanvasModule;
  }
  return canvasLib;
}

/** `eraseLongLines: false` only for benchmarks comparing against the plain render. */
export async function renderPageToPng(
  page: PDFPageProxy,
  { eraseLongLines = true }: { eraseLongLines?: boolean } = {},
): Promise<RasterPage> {
  const { createCanvas } = canvasModule();
  const base = page.getViewport({ scale: 1 });
  let scale = OCR_DPI / 72;
  scale = Math.min(scale, MAX_SIDE_PX / Math.max(base.width, base.height));
  const viewport = page.getViewport({ scale });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({
    canvas: canvas as never,
    canvasContext: context as never,
    viewport,
  }).promise;
  if (eraseLongLines) {
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    eraseLines(image, scale * 72);
    context.putImageData(image, 0, 0);
  }
  return { png: canvas.toBuffer('image/png'), scale };
}
