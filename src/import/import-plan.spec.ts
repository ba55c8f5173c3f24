import { TableField } from '../tables/table-gateway';
import { FieldNotFoundError } from '../tables/table-errors';
import { InvalidImportError } from './import-errors';
import { coerceRows, planColumns, selectRows } from './import-plan';
import { inferFieldType } from './mapping/type-inference';

const fields: TableField[] = [
  { id: 'f-pn', name: 'Part number', type: 'text', description: null },
  { id: 'f-qty', name: 'Quantity', type: 'number', description: null },
  { id: 'f-notes', name: 'notes', type: 'text', description: null },
];
const rows = [
  { PN: 'A-1', QTY: '2', notes: 'ok', DATE: '2026-01-19' },
  { PN: 'A-2', QTY: 'many', notes: null, DATE: '19.01.2026' },
  { PN: 'A-3', QTY: '1,5', notes: 'x', DATE: null },
];
const sources = ['PN', 'QTY', 'notes', 'DATE'];

describe('import plan', () => {
  it('selects all rows, or the asked ones once each in order, and refuses rows out of range', () => {
    expect(selectRows(3, null)).toEqual([0, 1, 2]);
    expect(selectRows(3, [2, 0, 2])).toEqual([0, 2]);
    expect(() => selectRows(3, [0, 3])).toThrow(InvalidImportError);
  });

  /** Types inferred from all rows, as the import's scan pass gives them. */
  const typeOf = (source: string) =>
    inferFieldType(
      source,
      rows.map((r) => (r as Record<string, string | null>)[source] ?? null),
    );

  it('maps columns to existing fields, and refuses unknown targets and sources', () => {
    const selection = {
      fieldMapping: { PN: 'f-pn', QTY: 'f-qty', notes: null },
      createMissingFields: false,
    };
    expect(planColumns('t', sources, typeOf, fields, selection)).toEqual([
      { source: 'PN', type: 'text', fieldId: 'f-pn', create: null },
      { source: 'QTY', type: 'number', fieldId: 'f-qty', create: null },
    ]);
    expect(() =>
      planColumns('t', sources, typeOf, fields, { ...selection, fieldMapping: { PN: 'f-nope' } }),
    ).toThrow(FieldNotFoundError);
    expect(() =>
      planColumns('t', sources, typeOf, fields, { ...selection, fieldMapping: { XX: 'f-pn' } }),
    ).toThrow(/Unknown source field/);
  });

  it('with create_missing_fields, reuses a field of the same name and creates the others with inferred types', () => {
    const columns = planColumns('t', sources, typeOf, fields, {
      fieldMapping: { PN: 'f-pn' },
      createMissingFields: true,
    });
    expect(columns).toEqual([
      { source: 'PN', type: 'text', fieldId: 'f-pn', create: null },
      { source: 'QTY', type: 'text', fieldId: null, create: 'QTY' },
      { source: 'notes', type: 'text', fieldId: 'f-notes', create: null },
      { source: 'DATE', type: 'date', fieldId: null, create: 'DATE' },
    ]);
  });

  it('coerces each row and reports each value that does not fit, with its row', () => {
    const columns = planColumns('t', sources, typeOf, fields, {
      fieldMapping: { PN: 'f-pn', QTY: 'f-qty' },
      createMissingFields: false,
    });
    const result = coerceRows(rows, [0, 1, 2], columns);
    expect(result.rows).toEqual([
      { rowIndex: 0, values: { PN: 'A-1', QTY: 2 } },
      { rowIndex: 2, values: { PN: 'A-3', QTY: 1.5 } },
    ]);
    expect(result.failedRows).toBe(1);
    expect(result.errors).toEqual([
      { row_index: 1, row: rows[1], field: 'QTY', message: '"many" is not a valid number' },
    ]);
  });
});
