import fs from 'node:fs';
import { ExtractionError } from '../extraction-error';
import {
  LONG_PAGES,
  PdfFixtures,
  generatePdfFixtures,
  removePdfFixtures,
} from '../../../../test/fixtures/pdf/generate-pdf-fixtures';
import { runPdf } from '../../../../test/fixtures/pdf/run-pdf';
import { PdfExtractionResult } from './pdf-types';
import { loadPdfJs } from './pdfjs-loader';

let fx: PdfFixtures;
let drawing: PdfExtractionResult;

afterAll(() => removePdfFixtures());

beforeAll(async () => {
  fx = await generatePdfFixtures();
  drawing = (await runPdf(fx.drawing)).result;
});

const rejectCode = async (
  promise: Promise<unknown>,
  code: string,
  message: RegExp,
): Promise<void> => {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExtractionError);
  expect((err as ExtractionError).code).toBe(code);
  expect((err as ExtractionError).permanent).toBe(true);
  expect((err as ExtractionError).message).toMatch(message);
};

describe('pdfExtractor on a generated drawing', () => {
  it('reports the envelope and document metadata', () => {
    expect(drawing.source_file).toBe('drawing.pdf');
    expect(drawing.source_type).toBe('pdf');
    expect(drawing.success).toBe(true);
    expect(drawing.errors).toEqual([]);
    expect(drawing.warnings).toEqual([]);
    expect(drawing.metadata).toMatchObject({
      num_pages: 3,
      title: 'Gearbox housing',
      author: 'J. Smith',
      creator: 'pdf-extractor fixtures',
      producer: 'pdf-lib',
      creation_date: '2024-03-15T10:30:00.000Z',
      modification_date: '2024-03-16T08:00:00.000Z',
      encrypted: false,
      page_size: { width: 1191, height: 842, rotation: 0 },
      pages_processed: [1, 2, 3],
      ocr_pages: [],
    });
  });

  it('reads the ruled parts list with its header and column types', () => {
    const table = drawing.tables.find((t) => t.page === 1);
    expect(drawing.tables.filter((t) => t.page === 1)).toHaveLength(1);
    expect(table).toMatchObject({
      headers: ['ITEM', 'PART NO', 'DESCRIPTION', 'QTY', 'MATERIAL'],
      rows: [
        ['1', 'HX-100', 'Housing', '1', 'EN-GJL-250'],
        ['2', 'SH-200', 'Shaft Ø20', '1', '42CrMo4'],
        ['3', 'BR-6204', 'Bearing 6204', '2', 'Steel'],
        ['4', 'SC-M10', 'Screw M10x1.5', '8', '8.8'],
      ],
      num_rows: 4,
      num_columns: 5,
      column_types: ['integer', 'text', 'text', 'integer', 'text'],
      header_rows: 1,
      detection: 'ruled',
      bbox: [760, 482, 1160, 572],
    });
  });

  it('does not mistake the part outline, the frame or the title block grid for tables', () => {
    expect(drawing.tables.map((t) => [t.page, t.detection, t.headers[0]])).toEqual([
      [1, 'ruled', 'ITEM'],
      [2, 'ruled', 'POS'],
      [2, 'borderless', 'ZONE'],
    ]);
  });

  it('merges a two-row header and types decimal columns', () => {
    const table = drawing.tables[1];
    expect(table.headers).toEqual(['POS', 'LIMITS MIN', 'LIMITS MAX', 'MEASURED VALUE']);
    expect(table.header_rows).toBe(2);
    expect(table.rows).toEqual([
      ['1', '19.98', '20.02', '20.01'],
      ['2', '9.95', '10.05', '10.00'],
    ]);
    expect(table.column_types).toEqual(['integer', 'decimal', 'decimal', 'decimal']);
  });

  it('reads the borderless table from text alignment with every column type', () => {
    const table = drawing.tables[2];
    expect(table.headers).toEqual(['ZONE', 'AREA', 'COST', 'INSPECTED', 'PASSED', 'THICKNESS']);
    expect(table.rows).toEqual([
      ['A', '45%', '$120.50', '2024-03-01', 'yes', '0.25'],
      ['B', '30%', '$80.00', '2024-03-05', 'no', '0.30'],
      ['C', '25%', '$45.25', '2024-03-09', 'yes', '0.5'],
    ]);
    expect(table.column_types).toEqual([
      'text',
      'percentage',
      'currency',
      'date',
      'boolean',
      'decimal',
    ]);
  });

  it('extracts each dimension once, with values, tolerances, types and units', () => {
    const dims = drawing.dimensions.map((d) => ({
      page: d.page,
      label: d.label,
      type: d.dimension_type,
      value: d.value,
      unit: d.unit,
      plus: d.tolerance_plus,
      minus: d.tolerance_minus,
    }));
    expect(dims).toEqual([
      {
        page: 1,
        label: '120 +0.2/-0.1',
        type: 'linear',
        value: 120,
        unit: 'mm',
        plus: 0.2,
        minus: -0.1,
      },
      {
        page: 1,
        label: 'Ø12.5 ±0.1',
        type: 'diameter',
        value: 12.5,
        unit: 'mm',
        plus: 0.1,
        minus: -0.1,
      },
      {
        page: 1,
        label: 'Ø20 H7',
        type: 'diameter',
        value: 20,
        unit: 'mm',
        plus: null,
        minus: null,
      },
      { page: 1, label: 'R5', type: 'radius', value: 5, unit: 'mm', plus: null, minus: null },
      { page: 1, label: 'M10x1.5', type: 'thread', value: 10, unit: 'mm', plus: null, minus: null },
      { page: 1, label: '45°', type: 'angular', value: 45, unit: 'deg', plus: null, minus: null },
      {
        page: 1,
        label: '30° ±0.5°',
        type: 'angular',
        value: 30,
        unit: 'deg',
        plus: 0.5,
        minus: -0.5,
      },
      // Sheet 3 has no unit note: it takes sheet 1's "ALL DIMENSIONS IN MM".
      {
        page: 3,
        label: 'Ø8 ±0.05',
        type: 'diameter',
        value: 8,
        unit: 'mm',
        plus: 0.05,
        minus: -0.05,
      },
    ]);
    expect(drawing.dimensions.find((d) => d.label === 'M10x1.5')?.pitch).toBe(1.5);
    expect(drawing.dimensions.find((d) => d.label === 'Ø20 H7')?.fit).toBe('H7');
    expect(drawing.dimensions.find((d) => d.label === 'Ø20 H7')?.bbox).toEqual([
      310, 364, 344.46, 374,
    ]);
  });

  it('reads the title block at the bottom right of the first sheet', () => {
    expect(drawing.title_block).toEqual({
      drawing_number: 'GB-1001',
      title: 'GEARBOX HOUSING',
      revision: 'C',
      date: '2024-03-15',
      author: 'J. SMITH',
      company: 'ACME ENGINEERING',
      scale: '1:2',
      sheet: '1 OF 3',
      material: 'EN-GJL-250',
      finish: 'PAINTED RAL 7035',
      custom_fields: { checked_by: 'A. JONES' },
      confidence: 0.95,
    });
  });

  it('returns the parts list as a BOM', () => {
    expect(drawing.bom).toEqual({
      headers: ['ITEM', 'PART NO', 'DESCRIPTION', 'QTY', 'MATERIAL'],
      total_items: 4,
      hierarchy_level: 0,
      is_flat: true,
      items: [
        {
          item_id: '1',
          part_number: 'HX-100',
          description: 'Housing',
          quantity: 1,
          material: 'EN-GJL-250',
          revision: null,
          parent_id: null,
          level: 0,
        },
        {
          item_id: '2',
          part_number: 'SH-200',
          description: 'Shaft Ø20',
          quantity: 1,
          material: '42CrMo4',
          revision: null,
          parent_id: null,
          level: 0,
        },
        {
          item_id: '3',
          part_number: 'BR-6204',
          description: 'Bearing 6204',
          quantity: 2,
          material: 'Steel',
          revision: null,
          parent_id: null,
          level: 0,
        },
        {
          item_id: '4',
          part_number: 'SC-M10',
          description: 'Screw M10x1.5',
          quantity: 8,
          material: '8.8',
          revision: null,
          parent_id: null,
          level: 0,
        },
      ],
    });
  });

  it('groups text into blocks with font size and title flags, table cells left out', () => {
    const titles = drawing.text_blocks
      .filter((b) => b.is_title)
      .map((b) => [b.page, b.text, b.font_size]);
    expect(titles).toEqual([
      [1, 'GEARBOX HOUSING', 24],
      [2, 'INSPECTION SCHEDULE', 18],
      [3, 'ROTATED SHEET NOTE', 14],
    ]);
    const notes = drawing.text_blocks.find((b) => b.text.startsWith('NOTES:'));
    expect(notes).toMatchObject({
      text: 'NOTES:\n1. ALL DIMENSIONS IN MM\n2. BREAK ALL SHARP EDGES',
      page: 1,
      confidence: 1,
      font_size: 10,
      is_title: false,
      source: 'text',
    });
    expect(drawing.text_blocks.some((b) => b.text === 'HX-100')).toBe(false);
  });

  it('reads a /Rotate 90 page in display orientation', () => {
    const rotated = drawing.text_blocks.filter((b) => b.page === 3);
    expect(rotated.map((b) => b.text)).toEqual(['ROTATED SHEET NOTE', 'Ø8 ±0.05']);
    expect(rotated[0].bbox).toEqual([60, 68.8, 220.24, 82.8]);
  });
});

describe('pdfExtractor options', () => {
  it('limits work to the selected pages and prefers the first selected sheet with a title block', async () => {
    const { result, progress } = await runPdf(fx.drawing, { pages: [2] });
    expect(result.metadata.pages_processed).toEqual([2]);
    expect(result.tables.map((t) => t.page)).toEqual([2, 2]);
    expect(result.title_block).toMatchObject({
      drawing_number: 'GB-1001-2',
      sheet: '2 OF 3',
      revision: 'A',
      title: null,
    });
    expect(progress[progress.length - 1]).toEqual({ progress: 100, message: 'page 2 of 3' });
  });

  it('accepts the frontend page list string', async () => {
    const { result } = await runPdf(fx.drawing, { pages: '1,3' });
    expect(result.metadata.pages_processed).toEqual([1, 3]);
  });

  it('honours extract_tables, extract_text and extract_dimensions set to false', async () => {
    const { result } = await runPdf(fx.drawing, {
      extract_tables: false,
      extract_text: 'false',
      extract_dimensions: false,
    });
    expect(result.tables).toEqual([]);
    expect(result.bom).toBeNull();
    expect(result.text_blocks).toEqual([]);
    expect(result.dimensions).toEqual([]);
    expect(result.title_block?.drawing_number).toBe('GB-1001');
  });

  it('refuses out-of-range pages, bad page values and uninstalled OCR languages', async () => {
    await rejectCode(
      runPdf(fx.drawing, { pages: [4] }),
      'INVALID_OPTIONS',
      /lists 4 but the document has 3 pages/,
    );
    await rejectCode(runPdf(fx.drawing, { pages: [0] }), 'INVALID_OPTIONS', /page numbers from 1/);
    await rejectCode(
      runPdf(fx.drawing, { ocr_language: 'deu' }),
      'INVALID_OPTIONS',
      /"deu" is not installed; installed: eng/,
    );
    await rejectCode(
      runPdf(fx.drawing, { extract_tables: 'maybe' }),
      'INVALID_OPTIONS',
      /extract_tables/,
    );
  });

  it('stops with ABORTED when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await runPdf(fx.drawing, {}, controller.signal).catch((e: unknown) => e);
    expect((err as ExtractionError).code).toBe('ABORTED');
    expect((err as ExtractionError).permanent).toBe(false);
  });
});

describe('pdfExtractor on bad input', () => {
  it('reports a password-protected file as PASSWORD_PROTECTED', async () => {
    await rejectCode(runPdf(fx.encrypted), 'PASSWORD_PROTECTED', /password-protected/);
    // The hand-made fixture is genuinely encrypted: the right password opens it.
    const pdfjs = await loadPdfJs();
    const doc = await pdfjs.getDocument({
      data: new Uint8Array(fs.readFileSync(fx.encrypted)),
      password: 'secret',
      verbosity: 0,
    }).promise;
    expect(doc.numPages).toBe(1);
    await doc.destroy();
  });

  it('opens a file encrypted with an owner password only and flags it as encrypted', async () => {
    const { result } = await runPdf(fx.ownerOnly);
    expect(result.success).toBe(true);
    expect(result.metadata).toMatchObject({
      num_pages: 1,
      encrypted: true,
      page_size: { width: 595, height: 842, rotation: 0 },
    });
    expect(result.text_blocks).toEqual([]);
  });

  it('reports truncated and non-PDF files as CORRUPT_FILE', async () => {
    await rejectCode(runPdf(fx.truncated), 'CORRUPT_FILE', /truncated/);
    await rejectCode(runPdf(fx.notPdf), 'CORRUPT_FILE', /Not a PDF/);
    const empty = `${fx.dir}/empty.pdf`;
    fs.writeFileSync(empty, '');
    await rejectCode(runPdf(empty), 'CORRUPT_FILE', /empty/);
  });
});

describe('pdfExtractor on a 200-page document', () => {
  it('reads every page with progress per page', async () => {
    const { result, progress } = await runPdf(fx.long);
    expect(result.metadata.num_pages).toBe(LONG_PAGES);
    expect((result.metadata.pages_processed as number[]).length).toBe(LONG_PAGES);
    expect(progress.length).toBe(LONG_PAGES + 1);
    expect(progress[100]).toEqual({ progress: 50, message: 'page 100 of 200' });
    const last = result.text_blocks.filter((b) => b.page === LONG_PAGES);
    expect(last[0]).toMatchObject({ text: 'Section 200', is_title: true, font_size: 16 });
    expect(last[1].text.split('\n')).toHaveLength(45);
    expect(last[2].text).toBe('Page 200 of 200');
  });
});
