/**
 * Issue 17 on generated shop drawings: text drawn as strokes, sparse OCR, inch callouts, title
 * blocks without labels, OCR noise that must not become tables, damaged cross-reference data.
 */
import {
  BAY_LABELS,
  INCH_CALLOUTS,
  NOT_DIMENSIONS,
  SHX_CALLOUTS,
  SHX_NOTES,
  SHX_TITLE,
  STACKED_LABELS,
  ShopDrawingFixtures,
  generateShopDrawingFixtures,
  removeShopDrawingFixtures,
} from '../../../../test/fixtures/pdf/shop-drawing-fixtures';
import { runPdf } from '../../../../test/fixtures/pdf/run-pdf';
import { ExtractionError } from '../extraction-error';
import { PdfExtractionResult } from './pdf-types';

let fx: ShopDrawingFixtures;
/** OCR is the slow part: each sheet is read once with default options. */
let shx: PdfExtractionResult;
let scanned: PdfExtractionResult;

afterAll(() => removeShopDrawingFixtures());

beforeAll(async () => {
  fx = await generateShopDrawingFixtures();
  shx = (await runPdf(fx.shxSheet)).result;
  scanned = (await runPdf(fx.scannedSheet)).result;
}, 180_000);

const texts = (r: PdfExtractionResult): string[] => r.text_blocks.map((b) => b.text);
const STACK = STACKED_LABELS.join('\n');

/** Share of the words of `expected` that appear among the result's text blocks. */
function tokenRecall(r: PdfExtractionResult, expected: string[]): number {
  const found = new Set(texts(r).join(' ').split(/\s+/));
  const wanted = expected.join(' ').split(/\s+/);
  return wanted.filter((w) => found.has(w)).length / wanted.length;
}

describe('PDF shop drawings (issue 17)', () => {
  it('OCRs a sheet whose labels are drawn as strokes, merged with its text layer', () => {
    expect(shx.metadata.ocr_pages).toEqual([1]);
    expect(shx.warnings).toEqual([]);
    const blocks = shx.text_blocks.map((b) => [b.text, b.source]);
    expect(blocks).toContainEqual([SHX_NOTES.join('\n'), 'text']);
    expect(blocks).toContainEqual([STACK, 'ocr']);
    for (const label of [...BAY_LABELS, SHX_TITLE.title, SHX_TITLE.date])
      expect(blocks).toContainEqual([label, 'ocr']);
    // The text layer is not read a second time by OCR.
    expect(texts(shx).filter((t) => t.includes('DIMENSIONS'))).toHaveLength(1);
    expect(shx.dimensions).toContainEqual(
      expect.objectContaining({ dimension_type: 'diameter', value: 1.5, unit: 'in' }),
    );
  });

  it('leaves stroke text unread when use_ocr is false', async () => {
    const { result } = await runPdf(fx.shxSheet, { use_ocr: false });
    expect(result.metadata.ocr_pages).toEqual([]);
    expect(texts(result)).toEqual([SHX_NOTES.join('\n')]);
  });

  it('finds an unlabelled title block: corner number, title, date and sheet in the box', () => {
    for (const result of [shx, scanned]) {
      expect(result.title_block).toMatchObject({
        drawing_number: 'KD-10.50.A',
        title: SHX_TITLE.title,
        date: SHX_TITLE.date,
        sheet: SHX_TITLE.sheet,
        revision: null,
        custom_fields: {},
      });
      // Guessed from the texts' shape, not read from labels: a modest confidence.
      expect(result.title_block?.confidence).toBeGreaterThan(0.2);
      expect(result.title_block?.confidence).toBeLessThan(0.5);
    }
  });

  it('makes no table of the rack grid and keeps its labels as text', () => {
    for (const result of [shx, scanned]) {
      expect(result.tables).toEqual([]);
      expect(result.bom).toBeNull();
      // OCR may drop the space of "SHELF B" on the scan; the letters must all be there.
      const letters = texts(result).join('').replace(/\s/g, '');
      for (const label of BAY_LABELS) expect(letters).toContain(label.replace(/\s/g, ''));
    }
  });

  it('reads a scanned sheet with sparse-text segmentation: labels, notes and callouts', () => {
    expect(scanned.metadata.ocr_pages).toEqual([1]);
    expect(texts(scanned)).toContain(STACK);
    const expected = [
      ...STACKED_LABELS,
      ...BAY_LABELS,
      ...Object.values(SHX_TITLE),
      ...SHX_NOTES,
      ...SHX_CALLOUTS,
    ];
    expect(tokenRecall(scanned, expected)).toBeGreaterThanOrEqual(0.9);
    for (const block of scanned.text_blocks) expect(block.source).toBe('ocr');
    expect(scanned.dimensions.map((d) => [d.dimension_type, d.value, d.unit])).toEqual([
      ['linear', 42, 'in'],
      ['diameter', 1.5, 'in'],
    ]);
  });

  it('keeps stacked labels apart when a dimension with turned text stands beside them', async () => {
    const { result } = await runPdf(fx.stackedLabels);
    expect(result.metadata.ocr_pages).toEqual([1]);
    expect(texts(result)).toEqual([STACK]);
  }, 60_000);

  it('reads inch callouts as inches with their text, and no dates, phone or sheet numbers', async () => {
    const { result } = await runPdf(fx.inchCallouts);
    expect(result.metadata.ocr_pages).toEqual([]);
    expect(result.dimensions.map((d) => [d.dimension_type, d.value, d.unit, d.label])).toEqual(
      INCH_CALLOUTS.map(([, d]) => [d.type, d.value, 'in', d.label]),
    );
    expect(texts(result)).toEqual([...INCH_CALLOUTS.map(([t]) => t), ...NOT_DIMENSIONS]);
  });

  it('OCRs every page with use_ocr "force", reading nothing twice', async () => {
    const auto = (await runPdf(fx.inchCallouts)).result;
    const forced = (await runPdf(fx.inchCallouts, { use_ocr: 'force' })).result;
    expect(forced.metadata.ocr_pages).toEqual([1]);
    expect(forced.text_blocks).toEqual(auto.text_blocks);
    expect(forced.dimensions).toEqual(auto.dimensions);
    await expect(runPdf(fx.inchCallouts, { use_ocr: 'always' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: 'Option "use_ocr" must be true, false, "auto" or "force"',
    });
    await expect(runPdf(fx.inchCallouts, { use_ocr: 'always' })).rejects.toBeInstanceOf(
      ExtractionError,
    );
  }, 60_000);

  it('warns when the cross-reference data is damaged, and still reads the page', async () => {
    const intact = (await runPdf(fx.inchCallouts)).result;
    for (const [file, detail] of [
      [fx.shiftedXref, 'no cross-reference table at byte'],
      [fx.badStartxref, 'no cross-reference table at byte 17'],
    ]) {
      const { result } = await runPdf(file);
      expect(result.success).toBe(true);
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toContain(`The cross-reference table is damaged (${detail}`);
      expect(result.text_blocks).toEqual(intact.text_blocks);
    }
    expect(intact.warnings).toEqual([]);
  });
});
