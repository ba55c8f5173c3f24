/** Options of the PDF extractor (SEED-NOTES §1 names), validated before any work starts. */
import { ExtractionError } from '../extraction-error';
import { ExtractorOptions, boolOption } from '../extractor';

/**
 * `use_ocr`: absent or "auto" → 'auto' (pages without a text layer, and pages whose text is drawn
 * as vector strokes); true → 'on' (also pages with little text or mostly images); "force" →
 * 'force' (every page that paints something, merged with its text layer); false → 'off'.
 */
export type OcrMode = 'auto' | 'on' | 'force' | 'off';

export interface PdfOptions {
  extractTables: boolean;
  extractText: boolean;
  extractDimensions: boolean;
  ocr: OcrMode;
  ocrLanguage: string;
  /** 1-based page numbers in document order, or null for all pages. */
  pages: number[] | null;
}

function parsePages(value: unknown): number[] | null {
  if (value === undefined || value === null || value === '') return null;
  const parts: unknown[] = Array.isArray(value)
    ? value
    : typeof value === 'number'
      ? [value]
      : typeof value === 'string'
        ? value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [value];
  const pages: number[] = [];
  for (const part of parts) {
    const range = typeof part === 'string' ? /^(\d+)\s*-\s*(\d+)$/.exec(part) : null;
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a > b)
        throw new ExtractionError('INVALID_OPTIONS', `Option "pages": bad range "${String(part)}"`);
      for (let p = a; p <= b; p++) pages.push(p);
      continue;
    }
    const n = typeof part === 'string' && /^\d+$/.test(part) ? Number(part) : part;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new ExtractionError(
        'INVALID_OPTIONS',
        `Option "pages" must list page numbers from 1 (got ${JSON.stringify(part)})`,
      );
    }
    pages.push(n);
  }
  if (pages.length === 0) return null;
  return [...new Set(pages)].sort((a, b) => a - b);
}

function parseOcr(options: ExtractorOptions): OcrMode {
  const value = options.use_ocr;
  if (value === undefined || value === null || value === 'auto') return 'auto';
  if (value === 'force') return 'force';
  if (value === true || value === 'true') return 'on';
  if (value === false || value === 'false') return 'off';
  throw new ExtractionError(
    'INVALID_OPTIONS',
    'Option "use_ocr" must be true, false, "auto" or "force"',
  );
}

export function parsePdfOptions(options: ExtractorOptions): PdfOptions {
  const language = options.ocr_language ?? 'eng';
  if (typeof language !== 'string' || !/^[a-z_]{3,10}(?:\+[a-z_]{3,10})*$/i.test(language)) {
    throw new ExtractionError(
      'INVALID_OPTIONS',
      'Option "ocr_language" must be a language code such as "eng"',
    );
  }
  return {
    extractTables: boolOption(options, 'extract_tables', true),
    extractText: boolOption(options, 'extract_text', true),
    extractDimensions: boolOption(options, 'extract_dimensions', true),
    ocr: parseOcr(options),
    ocrLanguage: language,
    pages: parsePages(options.pages),
  };
}

/** Checks the selection against the document; out-of-range pages are an option error. */
export function selectPages(pages: number[] | null, numPages: number): number[] {
  if (!pages) return Array.from({ length: numPages }, (_, k) => k + 1);
  const bad = pages.filter((p) => p > numPages);
  if (bad.length > 0) {
    throw new ExtractionError(
      'INVALID_OPTIONS',
      `Option "pages" lists ${bad.join(', ')} but the document has ${numPages} page${numPages === 1 ? '' : 's'}`,
    );
  }
  return pages;
}
