/**
 * PDF extractor: text blocks, ruled and borderless tables, dimensions, title block and BOM from
 * PDF drawings and documents, with OCR for scanned pages. pdf.js (legacy build) reads the file;
 * tesseract.js reads pages without a text layer. See docs/pdf-extractor.md.
 */
import { CadTitleBlock } from '../cad-result';
import { ExtractionError } from '../extraction-error';
import { Extractor, ExtractorInput, throwIfAborted } from '../extractor';
import { bomFromTables } from './bom-from-tables';
import { OcrEngine, assertOcrLanguage } from './ocr-engine';
import { PageAnalysis, analysePage, roundBox } from './page-analysis';
import { readPage } from './page-reader';
import { openPdf, readMetadata, readPdfBytes, round } from './pdf-document';
import { OcrMode, PdfOptions, parsePdfOptions, selectPages } from './pdf-options';
import { PdfExtractionResult, PdfTextBlock } from './pdf-types';
import { loadPdfJs } from './pdfjs-loader';
import { crossReferenceWarning } from './xref-check';
import { bodyFontSize } from './text-layout';
import { buildTitleBlock, mappedCount } from './title-block';

/** A block is a title when its font is this much larger than the document's body text. */
const TITLE_FONT_RATIO = 1.3;
const TITLE_MAX_CHARS = 120;
/** Pages one extraction may read (after the `pages` selection). */
const MAX_PAGES = Number(process.env.PDF_MAX_PAGES ?? 5000);

const titleBlockOf = (p: PageAnalysis): CadTitleBlock | null =>
  buildTitleBlock(p.titlePairs, p.titleConfidence || 1, p.titleLoose);

/**
 * First sheet preferred: the first page whose labelled title block fills 3+ fields, else the
 * fullest labelled one (2+), else the first page whose unlabelled texts give a title block.
 */
function chooseTitleBlock(pages: PageAnalysis[]): CadTitleBlock | null {
  const scored = pages
    .map((p) => ({ p, score: mappedCount(p.titlePairs) }))
    .filter((s) => s.score >= 2);
  if (scored.length === 0) {
    for (const page of pages) {
      const block = titleBlockOf(page);
      if (block) return block;
    }
    return null;
  }
  const chosen =
    scored.find((s) => s.score >= 3) ?? scored.reduce((a, b) => (b.score > a.score ? b : a));
  return titleBlockOf(chosen.p);
}

function textBlocks(pages: PageAnalysis[]): PdfTextBlock[] {
  const body = bodyFontSize(pages.flatMap((p) => p.segments));
  return pages.flatMap((p) =>
    p.blocks.map((b) => ({
      text: b.text,
      page: p.page,
      confidence: round(b.confidence),
      bbox: roundBox(b.bbox),
      font_size: round(b.fontSize, 1),
      is_title:
        body > 0 && b.fontSize >= TITLE_FONT_RATIO * body && b.text.length <= TITLE_MAX_CHARS,
      source: b.segments.some((s) => s.items.some((i) => i.fromOcr))
        ? ('ocr' as const)
        : ('text' as const),
    })),
  );
}

/** Sheets without their own unit note take the unit another sheet of the drawing declares. */
function applyDocumentUnit(pages: PageAnalysis[]): void {
  const unit = pages.find((p) => p.declaredUnit)?.declaredUnit;
  if (!unit) return;
  for (const page of pages) {
    for (const d of page.dimensions) {
      if (d.unit === null && d.dimension_type !== 'angular') d.unit = unit;
    }
  }
}

/**
 * A language asked for explicitly (or OCR forced) must be installed: INVALID_OPTIONS otherwise.
 * In auto mode with the default language, missing language data only switches OCR off, with a
 * warning, so text PDFs still extract on a machine without the OCR data.
 */
export function resolveOcrMode(
  options: PdfOptions,
  languageGiven: boolean,
  warnings: string[],
): OcrMode {
  if (options.ocr === 'off' && !languageGiven) return 'off';
  try {
    assertOcrLanguage(options.ocrLanguage);
    return options.ocr;
  } catch (err) {
    if (languageGiven || options.ocr === 'on' || options.ocr === 'force') throw err;
    warnings.push(`OCR unavailable: ${(err as Error).message}`);
    return 'off';
  }
}

async function extractPdf(input: ExtractorInput): Promise<PdfExtractionResult> {
  const options = parsePdfOptions(input.options);
  const warnings: string[] = [];
  const ocrMode = resolveOcrMode(options, input.options.ocr_language !== undefined, warnings);
  throwIfAborted(input.signal);
  input.onProgress({ progress: 0, message: 'opening PDF' });

  const data = await readPdfBytes(input.filePath);
  const xrefWarning = crossReferenceWarning(data);
  if (xrefWarning) warnings.push(xrefWarning);
  const pdfjs = await loadPdfJs();
  const doc = await openPdf(pdfjs, data);
  const ocr = new OcrEngine(options.ocrLanguage);
  const errors: string[] = [];
  try {
    const metadata = await readMetadata(pdfjs, doc).catch((err: unknown) => {
      throw new ExtractionError(
        'CORRUPT_FILE',
        `The PDF structure is damaged: ${(err as Error).message}`,
      );
    });
    const pages = selectPages(options.pages, doc.numPages);
    if (pages.length > MAX_PAGES) {
      throw new ExtractionError(
        'FILE_TOO_LARGE',
        `${pages.length} pages selected; the limit is ${MAX_PAGES} (PDF_MAX_PAGES): select fewer pages`,
      );
    }
    const analyses: PageAnalysis[] = [];
    const ocrPages: number[] = [];
    for (let k = 0; k < pages.length; k++) {
      throwIfAborted(input.signal);
      const pageNumber = pages[k];
      try {
        const content = await readPage(pdfjs, doc, pageNumber, {
          needGraphics: options.extractTables,
          ocr: ocrMode,
          getOcrEngine: () => ocr,
          signal: input.signal,
        });
        warnings.push(...content.warnings);
        if (content.ocrUsed) ocrPages.push(pageNumber);
        analyses.push(
          analysePage(content, {
            tables: options.extractTables,
            dimensions: options.extractDimensions,
            text: options.extractText,
          }),
        );
      } catch (err) {
        if (ExtractionError.isExtractionError(err) && err.code === 'ABORTED') throw err;
        if (ExtractionError.isExtractionError(err) && err.code === 'TIMEOUT') {
          warnings.push(`page ${pageNumber}: ${err.message}; page skipped`);
        } else {
          errors.push(`page ${pageNumber}: ${(err as Error).message}`);
        }
      }
      input.onProgress({
        progress: Math.round(((k + 1) / pages.length) * 100),
        message: `page ${pageNumber} of ${doc.numPages}`,
      });
    }
    applyDocumentUnit(analyses);
    const tables = analyses.flatMap((a) => a.tables);
    return {
      source_file: input.filename,
      source_type: 'pdf',
      success: errors.length === 0,
      metadata: { ...metadata, pages_processed: pages, ocr_pages: ocrPages },
      errors,
      warnings,
      tables,
      dimensions: analyses.flatMap((a) => a.dimensions),
      text_blocks: options.extractText ? textBlocks(analyses) : [],
      title_block: chooseTitleBlock(analyses),
      bom: options.extractTables ? bomFromTables(tables) : null,
    };
  } finally {
    await ocr.terminate();
    await doc.destroy().catch(() => undefined);
  }
}

export const pdfExtractor: Extractor<PdfExtractionResult> = {
  format: 'pdf',
  extract: extractPdf,
};
