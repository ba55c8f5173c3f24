import { BomFixtures } from '../../../../test/fixtures/bom/bom-fixtures';
import { BomItem } from '../cad-result';
import { ExtractionError } from '../extraction-error';
import { ExtractorOptions } from '../extractor';
import { bomExtractor } from './bom.extractor';
import { BomExtractionResult } from './bom-types';

let fixtures: BomFixtures;
beforeAll(async () => {
  fixtures = await BomFixtures.create();
});
afterAll(async () => {
  await fixtures.dispose();
});

function run(
  filePath: string,
  filename: string,
  options: ExtractorOptions = {},
  signal?: AbortSignal,
) {
  return bomExtractor.extract({
    filePath,
    filename,
    options,
    onProgress: () => undefined,
    signal: signal ?? new AbortController().signal,
  });
}

/** The fields a test compares, in item order. */
function pick(result: BomExtractionResult, ...keys: (keyof BomItem | string)[]): unknown[][] {
  return result.bom.items.map((item) => keys.map((key) => item[key]));
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<ExtractionError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, got success`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  expect((error as ExtractionError).code).toBe(code);
  return error as ExtractionError;
}

describe('bomExtractor', () => {
  it('reads a flat xlsx BOM with exact items and an assumed quantity for an empty cell', async () => {
    const result = await run(await fixtures.flatXlsx(), 'flat.xlsx');
    expect(result.success).toBe(true);
    expect(result.source_type).toBe('bom');
    expect(result.source_file).toBe('flat.xlsx');
    expect(result.bom.items).toEqual([
      {
        item_id: '1',
        part_number: 'P-100',
        description: 'Bracket',
        quantity: 2,
        material: 'S235JR',
        revision: 'A',
        parent_id: null,
        level: 1,
      },
      {
        item_id: '2',
        part_number: 'P-200',
        description: 'Bolt M8x20',
        quantity: 8,
        material: '8.8',
        revision: 'B',
        parent_id: null,
        level: 1,
      },
      {
        item_id: '3',
        part_number: 'P-300',
        description: 'Washer',
        quantity: 8,
        material: 'Steel',
        revision: null,
        parent_id: null,
        level: 1,
      },
      {
        item_id: '4',
        part_number: 'P-400',
        description: 'Label',
        quantity: 1,
        material: 'Paper',
        revision: 'A',
        parent_id: null,
        level: 1,
      },
    ]);
    expect(result.bom.headers).toEqual([
      'Item',
      'Part Number',
      'Description',
      'Qty',
      'Material',
      'Rev',
    ]);
    expect(result.bom.total_items).toBe(4);
    expect(result.bom.hierarchy_level).toBe(1);
    expect(result.bom.is_flat).toBe(true);
    expect(result.warnings).toContain('Row 5: empty quantity, 1 assumed');
    expect(result.sheets).toEqual([
      { name: 'BOM', index: 0, row_count: 5, header_row: 1, selected: true },
    ]);
    expect(result.metadata).toMatchObject({
      file_type: 'xlsx',
      sheet: 'BOM',
      header_row: 1,
      hierarchy_source: 'none',
    });
  });

  it('builds a 3-level tree from a level column', async () => {
    const result = await run(await fixtures.levelsXlsx(), 'levels.xlsx');
    expect(pick(result, 'item_id', 'part_number', 'quantity', 'parent_id', 'level')).toEqual([
      ['1', 'A-100', 1, null, 1],
      ['2', 'A-110', 1, '1', 2],
      ['3', 'P-111', 1, '2', 3],
      ['4', 'P-112', 6, '2', 3],
      ['5', 'A-120', 2, '1', 2],
      ['6', 'P-121', 1, '5', 3],
      ['7', 'P-122', 2, '5', 3],
      ['8', 'P-112', 4, '5', 3],
      ['9', 'P-130', 0.5, '1', 2],
    ]);
    expect(result.bom.hierarchy_level).toBe(3);
    expect(result.bom.is_flat).toBe(false);
    expect(result.metadata.hierarchy_source).toBe('level_column');
  });

  it('flattens with path, rolled-up quantity, level prefix and parent reference', async () => {
    const result = await run(await fixtures.levelsXlsx(), 'levels.xlsx', { flatten: true });
    expect(
      pick(result, 'part_number', 'path', 'inducted', 'level_prefix', 'parent_reference'),
    ).toEqual([
      ['A-100', 'A-100', 1, '.1', null],
      ['A-110', 'A-100 > A-110', 1, '..2', 'A-100'],
      ['P-111', 'A-100 > A-110 > P-111', 1, '...3', 'A-110'],
      ['P-112', 'A-100 > A-110 > P-112', 6, '...3', 'A-110'],
      ['A-120', 'A-100 > A-120', 2, '..2', 'A-100'],
      ['P-121', 'A-100 > A-120 > P-121', 2, '...3', 'A-120'],
      ['P-122', 'A-100 > A-120 > P-122', 4, '...3', 'A-120'],
      ['P-112', 'A-100 > A-120 > P-112', 8, '...3', 'A-120'],
      ['P-130', 'A-100 > P-130', 0.5, '..2', 'A-100'],
    ]);
    expect(result.bom.headers.slice(-4)).toEqual([
      'path',
      'inducted',
      'level_prefix',
      'parent_reference',
    ]);
    expect(result.metadata.flattened).toBe(true);
  });

  it('adds only the flattening fields that are switched on', async () => {
    const result = await run(await fixtures.levelsXlsx(), 'levels.xlsx', {
      flatten: true,
      include_path: false,
      include_level_prefix: false,
      include_parent_reference: false,
    });
    const item = result.bom.items[6];
    expect(item.inducted).toBe(4);
    expect('path' in item).toBe(false);
    expect('level_prefix' in item).toBe(false);
    expect('parent_reference' in item).toBe(false);
  });

  it('aggregates identical part numbers with their total rolled-up quantity', async () => {
    const result = await run(await fixtures.levelsXlsx(), 'levels.xlsx', { aggregate: true });
    expect(pick(result, 'part_number', 'quantity', 'occurrences', 'level', 'parent_id')).toEqual([
      ['A-100', 1, 1, 1, null],
      ['A-110', 1, 1, 1, null],
      ['P-111', 1, 1, 1, null],
      ['P-112', 14, 2, 1, null],
      ['A-120', 2, 1, 1, null],
      ['P-121', 2, 1, 1, null],
      ['P-122', 4, 1, 1, null],
      ['P-130', 0.5, 1, 1, null],
    ]);
    expect(result.bom.total_items).toBe(8);
    expect(result.bom.is_flat).toBe(true);
    expect(result.metadata.aggregated).toBe(true);
  });

  it('builds the tree from a parent column whatever the row order', async () => {
    const result = await run(await fixtures.parentCsv(), 'parent.csv', { flatten: true });
    expect(
      pick(result, 'item_id', 'part_number', 'parent_id', 'level', 'inducted', 'path'),
    ).toEqual([
      ['1', 'P-1', '3', 3, 20, 'ASM-1 > SUB-1 > P-1'],
      ['2', 'ASM-1', null, 1, 1, 'ASM-1'],
      ['3', 'SUB-1', '2', 2, 2, 'ASM-1 > SUB-1'],
      ['4', 'P-2', '2', 2, 4, 'ASM-1 > P-2'],
    ]);
    expect(result.metadata).toMatchObject({
      file_type: 'csv',
      delimiter: ',',
      hierarchy_source: 'parent_column',
    });
  });

  it('skips title rows (one merged) and reads dotted positions and a formula result', async () => {
    const result = await run(await fixtures.titleRowsXlsx(), 'title-rows.xlsx');
    expect(result.metadata.header_row).toBe(4);
    expect(result.metadata.hierarchy_source).toBe('item_numbers');
    expect(
      pick(result, 'item_id', 'part_number', 'quantity', 'revision', 'parent_id', 'level'),
    ).toEqual([
      ['1', 'C-1', 1, 'C', null, 1],
      ['1.1', 'C-11', 4, 'A', '1', 2],
      ['1.2', 'C-12', 3, null, '1', 2],
      ['1.2.1', 'C-121', 1, null, '1.2', 3],
    ]);
    expect(result.warnings.some((w) => w.includes('merged cell range'))).toBe(true);
  });

  it('reads a semicolon CSV with UTF-8 BOM, German headers, quoted separators and comma decimals', async () => {
    const result = await run(await fixtures.germanCsv(), 'german.csv');
    expect(result.metadata).toMatchObject({
      delimiter: ';',
      encoding: 'utf-8-bom',
      header_row: 3,
      hierarchy_source: 'level_column',
    });
    expect(result.metadata.column_mapping).toEqual({
      item_id: 'Pos.',
      part_number: 'Artikelnummer',
      description: 'Benennung',
      quantity: 'Menge',
      material: 'Werkstoff',
      level: 'Ebene',
    });
    expect(
      pick(
        result,
        'item_id',
        'part_number',
        'description',
        'quantity',
        'material',
        'parent_id',
        'level',
      ),
    ).toEqual([
      ['1', '100-01', 'Gehäuse; lackiert', 1, 'AlMg3', null, 1],
      ['2', '100-02', 'Welle', 2, '42CrMo4', '1', 2],
      ['3', '100-03', 'Fett', 0.25, null, '1', 2],
      ['4', '100-04', 'Schraube', 1.5, '8.8', '1', 2],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('reads indented ".1 / ..2 / ...3" levels from a TSV', async () => {
    const result = await run(await fixtures.indentedTsv(), 'indented.tsv', { flatten: true });
    expect(result.metadata.delimiter).toBe('tab');
    expect(pick(result, 'part_number', 'level', 'parent_id', 'inducted', 'level_prefix')).toEqual([
      ['T-1', 1, null, 1, '.1'],
      ['T-2', 2, '1', 3, '..2'],
      ['T-3', 3, '2', 6, '...3'],
      ['T-4', 2, '1', 1, '..2'],
    ]);
  });

  it('picks the first sheet with a header, or the sheet named or indexed by the option', async () => {
    const file = await fixtures.twoSheetsXlsx();
    const auto = await run(file, 'two.xlsx');
    expect(auto.metadata.sheet).toBe('Parts');
    expect(auto.sheets).toEqual([
      { name: 'Notes', index: 0, row_count: 2, header_row: null, selected: false },
      { name: 'Parts', index: 1, row_count: 3, header_row: 1, selected: true },
    ]);
    expect(pick(auto, 'part_number', 'quantity')).toEqual([
      ['X-1', 3],
      ['X-2', 1],
    ]);
    expect((await run(file, 'two.xlsx', { sheet: 'parts' })).metadata.sheet).toBe('Parts');
    expect((await run(file, 'two.xlsx', { sheet: 1 })).metadata.sheet).toBe('Parts');
    await expectCode(run(file, 'two.xlsx', { sheet: 0 }), 'UNSUPPORTED_FORMAT');
    await expectCode(run(file, 'two.xlsx', { sheet: 'Nope' }), 'INVALID_OPTIONS');
  });

  it('honours header_row, and rejects a bad one', async () => {
    const file = await fixtures.titleRowsXlsx();
    const result = await run(file, 'title-rows.xlsx', { header_row: 4 });
    expect(result.bom.total_items).toBe(4);
    await expectCode(run(file, 'title-rows.xlsx', { header_row: 0 }), 'INVALID_OPTIONS');
    await expectCode(run(file, 'title-rows.xlsx', { header_row: 3 }), 'INVALID_OPTIONS');
    await expectCode(run(file, 'title-rows.xlsx', { flatten: 'yes' }), 'INVALID_OPTIONS');
  });

  it('reads formula cells without a stored result as empty, with a warning', async () => {
    const file = await fixtures.xlsx('formula.xlsx', [
      {
        name: 'BOM',
        rows: [
          ['Part No', 'Qty'],
          ['F-1', { formula: '1+1' }],
          ['F-2', 3],
        ],
      },
    ]);
    const result = await run(file, 'formula.xlsx');
    expect(pick(result, 'part_number', 'quantity')).toEqual([
      ['F-1', 1],
      ['F-2', 3],
    ]);
    expect(result.warnings).toEqual([
      'Formula cells without a cached result were read as empty (open and save the file in Excel to store results)',
      'Row 2: empty quantity, 1 assumed',
    ]);
  });

  it('treats level 0 as the top of the tree', async () => {
    const file = await fixtures.text(
      'zero.csv',
      'Lvl,Part No,Qty\n0,TOP,1\n1,MID,2\n2,LOW,3\n1,MID2,1\n',
    );
    const result = await run(file, 'zero.csv', { flatten: true, include_path: false });
    expect(pick(result, 'part_number', 'level', 'parent_id', 'inducted')).toEqual([
      ['TOP', 1, null, 1],
      ['MID', 2, '1', 2],
      ['LOW', 3, '2', 6],
      ['MID2', 2, '1', 1],
    ]);
  });

  it('reads only filled cells of a sheet whose declared range is huge', async () => {
    const result = await run(await fixtures.hugeDeclaredXlsx(), 'huge.xlsx');
    expect(pick(result, 'part_number', 'quantity')).toEqual([
      ['H-1', 2],
      ['H-2', 5],
    ]);
    expect(result.warnings).toContain('Sheet "BOM": columns after 256 were ignored');
  });

  it('stops with ABORTED when the signal has fired', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await expectCode(
      run(await fixtures.flatXlsx(), 'flat.xlsx', {}, controller.signal),
      'ABORTED',
    );
    expect(error.permanent).toBe(false);
  });

  describe('bad input', () => {
    it.each([
      ['empty.csv', 'CORRUPT_FILE', /empty/, () => fixtures.text('empty.csv', '')],
      ['blank.csv', 'CORRUPT_FILE', /empty/, () => fixtures.text('blank.csv', '\n\n  \n')],
      ['empty.xlsx', 'CORRUPT_FILE', /empty/, () => fixtures.text('empty.xlsx', '')],
      [
        'random.xlsx',
        'CORRUPT_FILE',
        /not a valid workbook/,
        () => fixtures.randomBytes('random.xlsx'),
      ],
      ['random.csv', 'CORRUPT_FILE', /binary/, () => fixtures.randomBytes('random.csv')],
      ['truncated.xlsx', 'CORRUPT_FILE', /could not be read/, () => fixtures.truncatedXlsx()],
      [
        'old.xls',
        'UNSUPPORTED_FORMAT',
        /save the file as \.xlsx/,
        () => fixtures.text('old.xls', 'whatever'),
      ],
      ['ole.xlsx', 'UNSUPPORTED_FORMAT', /save it as \.xlsx/, () => fixtures.oleBytes('ole.xlsx')],
      [
        'drawing.pdf',
        'UNSUPPORTED_FORMAT',
        /must be \.xlsx/,
        () => fixtures.text('drawing.pdf', '%PDF-1.4'),
      ],
      [
        'noheader.csv',
        'UNSUPPORTED_FORMAT',
        /No BOM header/,
        () => fixtures.text('noheader.csv', 'foo,bar\n1,2\n3,4\n'),
      ],
    ])('%s -> %s', async (name, code, message, make) => {
      const error = await expectCode(run(await make(), name), code);
      expect(error.message).toMatch(message);
      expect(error.permanent).toBe(true);
    });

    it('refuses a workbook that would inflate past BOM_MAX_UNCOMPRESSED_MB before inflating it', async () => {
      const saved = process.env.BOM_MAX_UNCOMPRESSED_MB;
      process.env.BOM_MAX_UNCOMPRESSED_MB = '8';
      try {
        const bomb = await fixtures.zipBombXlsx('bomb.xlsx', 64 * 1024 * 1024);
        const error = await expectCode(run(bomb, 'bomb.xlsx'), 'FILE_TOO_LARGE');
        expect(error.message).toMatch(/expands to 64 MB .* at most 8 MB .*BOM_MAX_UNCOMPRESSED_MB/);
        // A real workbook under the limit is read as before.
        const ok = await run(await fixtures.flatXlsx(), 'flat.xlsx');
        expect(ok.success).toBe(true);
      } finally {
        if (saved === undefined) delete process.env.BOM_MAX_UNCOMPRESSED_MB;
        else process.env.BOM_MAX_UNCOMPRESSED_MB = saved;
      }
    });

    it('answers success:false when the header has no rows below it', async () => {
      const result = await run(
        await fixtures.text('header-only.csv', 'Part No;Qty;Description\n'),
        'header-only.csv',
      );
      expect(result.success).toBe(false);
      expect(result.errors).toEqual(['No BOM rows below the header in row 1']);
      expect(result.bom.total_items).toBe(0);
    });

    it('warns about unreadable quantities and keeps the row with 1', async () => {
      const result = await run(await fixtures.text('q.csv', 'Part No,Qty\nA,lots\nB,3\n'), 'q.csv');
      expect(pick(result, 'part_number', 'quantity')).toEqual([
        ['A', 1],
        ['B', 3],
      ]);
      expect(result.warnings).toEqual(['Row 2: quantity "lots" is not a number, 1 assumed']);
    });
  });
});
