/** Renders a pdf.js page to PNG with @napi-rs/canvas, for OCR. */
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** 300 DPI is tesseract's sweet spot for body text; scaled down for very large sheets. */
export const OCR_DPI = Number(process.env.PDF_OCR_DPI ?? 300);
/** Longest rendered side in pixels (an A0 sheet at 300 DPI would be ~14000 px). */
const MAX_SIDE_PX = 6000;

export interface RasterPage {
  png: Buffer;
  /** Pixels per PDF point of the rendered image. */
  scale: number;
}

export async function renderPageToPng(page: PDFPageProxy): Promise<RasterPage> {
  const { createCanvas } = require('@napi-rs/canvas') as typeof import('@napi-rs/canvas');
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
  return { png: canvas.toBuffer('image/png'), scale };
}
