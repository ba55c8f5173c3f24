/**
 * Opens a PDF with pdf.js and maps what can go wrong to stable error codes: not a PDF or
 * truncated -> CORRUPT_FILE, needs a password -> PASSWORD_PROTECTED. Also reads document metadata.
 */
import fs from 'node:fs/promises';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { ExtractionError } from '../extraction-error';
import { PDFJS_ASSETS, PdfJs } from './pdfjs-loader';

/** A PDF's "%%EOF" marker must appear near the end; further back means the file was cut. */
const EOF_WINDOW = 64 * 1024;

export async function readPdfBytes(filePath: string): Promise<Uint8Array> {
  let buffer: Buffer;
  try {
    buffer = await fs.readFile(filePath);
  } catch (err) {
    throw new ExtractionError('CORRUPT_FILE', `Cannot read the file: ${(err as Error).message}`);
  }
  if (buffer.length === 0) throw new ExtractionError('CORRUPT_FILE', 'The file is empty');
  const head = buffer.subarray(0, 1024).toString('latin1');
  if (!head.includes('%PDF-')) {
    throw new ExtractionError('CORRUPT_FILE', 'Not a PDF file (no %PDF- header)');
  }
  const tail = buffer.subarray(Math.max(0, buffer.length - EOF_WINDOW)).toString('latin1');
  if (!tail.includes('%%EOF')) {
    throw new ExtractionError('CORRUPT_FILE', 'The PDF is truncated (no %%EOF marker at the end)');
  }
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export async function openPdf(pdfjs: PdfJs, data: Uint8Array): Promise<PDFDocumentProxy> {
  const task = pdfjs.getDocument({
    data,
    ...PDFJS_ASSETS,
    cMapPacked: true,
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  });
  try {
    return await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    const e = err as { name?: string; message?: string; code?: number };
    if (e.name === 'PasswordException') {
      throw new ExtractionError(
        'PASSWORD_PROTECTED',
        e.code === pdfjs.PasswordResponses.INCORRECT_PASSWORD
          ? 'The PDF password is incorrect'
          : 'The PDF is password-protected; remove the password and upload it again',
      );
    }
    throw new ExtractionError(
      'CORRUPT_FILE',
      `The PDF cannot be read: ${e.message ?? String(err)}`,
    );
  }
}

function isoDate(pdfjs: PdfJs, value: unknown): string | null {
  if (typeof value !== 'string' || !value) return null;
  const date = pdfjs.PDFDateString.toDateObject(value);
  return date ? date.toISOString() : null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

export async function readMetadata(
  pdfjs: PdfJs,
  doc: PDFDocumentProxy,
): Promise<Record<string, unknown>> {
  const { info } = (await doc.getMetadata().catch(() => ({ info: {} }))) as {
    info: Record<string, unknown>;
  };
  const first = await doc.getPage(1);
  const viewport = first.getViewport({ scale: 1 });
  return {
    num_pages: doc.numPages,
    title: str(info.Title),
    author: str(info.Author),
    subject: str(info.Subject),
    keywords: str(info.Keywords),
    creator: str(info.Creator),
    producer: str(info.Producer),
    creation_date: isoDate(pdfjs, info.CreationDate),
    modification_date: isoDate(pdfjs, info.ModDate),
    pdf_version: str(info.PDFFormatVersion),
    encrypted: Boolean(info.EncryptFilterName),
    // Page 1 as displayed (its /Rotate applied), in points.
    page_size: {
      width: round(viewport.width),
      height: round(viewport.height),
      rotation: first.rotate,
    },
  };
}

export const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;
