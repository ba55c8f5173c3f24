import { buildTable, classifyCell, columnType, detectHeaderRows } from './table-analysis';

/** A grid candidate; cells read from a text layer (confidence 1) unless given. */
const grid = (
  cells: string[][],
  cellConfidence: number[][] = cells.map((r) => r.map((c) => (c ? 1 : 0))),
) => ({
  bbox: [0, 0, 100, 100] as [number, number, number, number],
  cells,
  cellConfidence,
  items: new Set<never>(),
});

describe('table analysis', () => {
  it.each([
    ['42', 'integer'],
    ['1,250', 'integer'],
    ['-3.75', 'decimal'],
    ['12,5', 'decimal'],
    ['45%', 'percentage'],
    ['$120.50', 'currency'],
    ['12.50 €', 'currency'],
    ['2024-03-15', 'date'],
    ['15.03.2024', 'date'],
    ['12 Jan 2024', 'date'],
    ['yes', 'boolean'],
    ['FALSE', 'boolean'],
    ['EN-GJL-250', 'text'],
  ])('classifies %s as %s', (value, type) => {
    expect(classifyCell(value)).toBe(type);
  });

  it('calls plain numbers currency only with a symbol and widens integer+decimal', () => {
    expect(columnType(['120.50', '80'])).toBe('decimal');
    expect(columnType(['$1', '2'])).toBe('text');
    expect(columnType(['', ''])).toBe('text');
  });

  it('finds one header row, two for a grouped header, none for data-only grids', () => {
    expect(
      detectHeaderRows([
        ['QTY', 'NAME'],
        ['1', 'Bolt'],
        ['2', 'Nut'],
      ]),
    ).toBe(1);
    expect(
      detectHeaderRows([
        ['POS', 'LIMITS', ''],
        ['', 'MIN', 'MAX'],
        ['1', '1.0', '2.0'],
      ]),
    ).toBe(2);
    expect(
      detectHeaderRows([
        ['1', '2'],
        ['3', '4'],
      ]),
    ).toBe(0);
  });

  it('rejects grids with text in only a few cells (drawing geometry)', () => {
    expect(
      buildTable(
        grid([
          ['Ø20', ''],
          ['', ''],
        ]),
        1,
        'ruled',
      ),
    ).toBeNull();
    expect(
      buildTable(
        grid([
          ['A', ''],
          ['', 'B'],
          ['', ''],
        ]),
        1,
        'ruled',
      ),
    ).toBeNull();
  });

  it('needs four real cells read with normal confidence: OCR noise in geometry is no table', () => {
    // Shelf bays of a rack drawing: two real labels, the rest lines and hatching read as text.
    const cells = [
      ['FIXED SLIDE', 'l1', 'I'],
      ['~', 'BY SIMILAR', 'E'],
      ['i', '/', 'Il'],
    ];
    const ocr = [
      [0.93, 0.31, 0.42],
      [0.2, 0.95, 0.36],
      [0.47, 0.3, 0.28],
    ];
    expect(buildTable(grid(cells, ocr), 1, 'ruled')).toBeNull();
    // Three confident cells are still too few, even when they are most of the filled ones.
    expect(
      buildTable(
        grid([
          ['QTY', 'PART'],
          ['2', ''],
        ]),
        1,
        'ruled',
      ),
    ).toBeNull();
    // The same labels from a text layer fill a table.
    expect(buildTable(grid(cells), 1, 'ruled')).toMatchObject({ num_rows: 3, num_columns: 3 });
  });

  it('names columns when no header row exists', () => {
    const table = buildTable(
      grid([
        ['1', '2.5'],
        ['3', '4.5'],
      ]),
      2,
      'borderless',
    );
    expect(table).toMatchObject({
      headers: ['Column 1', 'Column 2'],
      rows: [
        ['1', '2.5'],
        ['3', '4.5'],
      ],
      header_rows: 0,
      column_types: ['integer', 'decimal'],
      num_rows: 2,
      num_columns: 2,
      page: 2,
    });
  });
});
