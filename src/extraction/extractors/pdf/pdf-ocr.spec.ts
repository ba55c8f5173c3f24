import {
  PdfFixtures,
  SCANNED_CALLOUT,
  SCANNED_LINES,
  generatePdfFixtures,
  removePdfFixtures,
} from '../../../../test/fixtures/pdf/generate-pdf-fixtures';
import { runPdf } from '../../../../test/fixtures/pdf/run-pdf';
import { OcrEngine, assertOcrLanguage, installedOcrLanguages } from './ocr-engine';
import { ExtractionError } from '../extraction-error';
import { PdfExtractionResult } from './pdf-types';
import { resolveOcrMode } from './pdf.extractor';

let fx: PdfFixtures;
/** The scanned page read once with default options (OCR is the slow part of this suite). */
let scanned: PdfExtractionResult;

afterAll(() => removePdfFixtures());

beforeAll(async () => {
  fx = await generatePdfFixtures();
  scanned = (await runPdf(fx.scanned)).result;
}, 120_000);

describe('PDF OCR', () => {
  it('lists the installed tesseract languages from node_modules', () => {
    expect(installedOcrLanguages()).toEqual(['eng']);
    expect(() => assertOcrLanguage('eng')).not.toThrow();
    expect(() => assertOcrLanguage('eng+fra')).toThrow(
      'OCR language "fra" is not installed; installed: eng',
    );
  });

  it('reads a scanned page automatically when it has no text layer', () => {
    const result = scanned;
    expect(result.metadata.ocr_pages).toEqual([1]);
    expect(result.warnings).toEqual([]);
    expect(result.text_blocks.map((b) => b.text)).toEqual([
      ...SCANNED_LINES,
      SCANNED_CALLOUT,
      'DWG NO:SC-42',
      'REV:',
      'B',
      'SCALE:',
      '1:5',
    ]);
    for (const block of result.text_blocks) {
      expect(block.source).toBe('ocr');
      expect(block.confidence).toBeGreaterThan(0.5);
      expect(block.confidence).toBeLessThanOrEqual(1);
    }
    // 72 px type in a 150 DPI image is 34.6 pt; OCR boxes give the size within a few points.
    expect(Math.abs(result.text_blocks[0].font_size - 34.6)).toBeLessThan(4);
    // The first line starts 120 px from the left of a 1240 px wide image on a 595 pt page.
    expect(Math.abs(result.text_blocks[0].bbox[0] - 57.6)).toBeLessThan(4);
  });

  it('feeds OCR text to the title-block and dimension logic', () => {
    const result = scanned;
    expect(result.title_block).toMatchObject({
      drawing_number: 'SC-42',
      revision: 'B',
      scale: '1:5',
      title: null,
      custom_fields: {},
    });
    // OCR word confidence lowers the title-block confidence below the text-layer figure.
    expect(result.title_block?.confidence).toBeLessThan(0.64);
    expect(result.dimensions.map((d) => [d.dimension_type, d.value, d.label])).toEqual([
      ['radius', 25, 'R25'],
    ]);
    expect(result.dimensions[0].confidence).toBeLessThan(0.85);
  });

  it('leaves a scanned page unread with a warning when use_ocr is false', async () => {
    const { result } = await runPdf(fx.scanned, { use_ocr: false });
    expect(result.text_blocks).toEqual([]);
    expect(result.metadata.ocr_pages).toEqual([]);
    expect(result.warnings).toEqual(['page 1 has no text layer and OCR is off']);
  });

  it('keeps a scan with a partial text layer as it is in auto mode, and completes it with use_ocr', async () => {
    const auto = (await runPdf(fx.searchable)).result;
    expect(auto.metadata.ocr_pages).toEqual([]);
    expect(auto.text_blocks.map((b) => [b.text, b.source])).toEqual([
      ['INSPECTION REPORT', 'text'],
    ]);

    const forced = (await runPdf(fx.searchable, { use_ocr: true })).result;
    expect(forced.metadata.ocr_pages).toEqual([1]);
    // The line the text layer already has is not read twice; the rest comes from OCR.
    expect(forced.text_blocks.map((b) => [b.text, b.source])).toEqual([
      ['INSPECTION REPORT', 'text'],
      ['PART 4711', 'ocr'],
      ['APPROVED', 'ocr'],
      ['R25', 'ocr'],
      ['DWG NO:SC-42', 'ocr'],
      ['REV:', 'ocr'],
      ['B', 'ocr'],
      ['SCALE:', 'ocr'],
      ['1:5', 'ocr'],
    ]);
  }, 120_000);

  it('never OCRs pages that have a text layer unless use_ocr forces sparse pages', async () => {
    const { result } = await runPdf(fx.drawing, { use_ocr: true, pages: [1] });
    expect(result.metadata.ocr_pages).toEqual([]);
  });

  it('switches OCR off with a warning when the default language data is missing in auto mode', () => {
    const options = {
      extractTables: true,
      extractText: true,
      extractDimensions: true,
      pages: null,
    };
    const warnings: string[] = [];
    expect(resolveOcrMode({ ...options, ocr: 'auto', ocrLanguage: 'fra' }, false, warnings)).toBe(
      'off',
    );
    expect(warnings).toEqual([
      'OCR unavailable: OCR language "fra" is not installed; installed: eng',
    ]);
    expect(() => resolveOcrMode({ ...options, ocr: 'on', ocrLanguage: 'fra' }, false, [])).toThrow(
      ExtractionError,
    );
    expect(() => resolveOcrMode({ ...options, ocr: 'off', ocrLanguage: 'fra' }, true, [])).toThrow(
      '"fra" is not installed',
    );
    expect(resolveOcrMode({ ...options, ocr: 'off', ocrLanguage: 'fra' }, false, [])).toBe('off');
    expect(resolveOcrMode({ ...options, ocr: 'auto', ocrLanguage: 'eng' }, true, [])).toBe('auto');
  });

  it('gives up with TIMEOUT when OCR exceeds its time limit, and still terminates cleanly', async () => {
    const engine = new OcrEngine('eng', 1);
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=',
      'base64',
    );
    const err = await engine.recognize(png, new AbortController().signal).catch((e: unknown) => e);
    expect((err as ExtractionError).code).toBe('TIMEOUT');
    expect((err as ExtractionError).message).toBe('OCR took longer than 1 ms');
    await expect(engine.terminate()).resolves.toBeUndefined();
  });

  it('stops OCR with ABORTED when the signal fires', async () => {
    const engine = new OcrEngine('eng');
    const controller = new AbortController();
    controller.abort();
    const err = await engine.recognize(Buffer.alloc(0), controller.signal).catch((e: unknown) => e);
    expect((err as ExtractionError).code).toBe('ABORTED');
    await engine.terminate();
  });
});
