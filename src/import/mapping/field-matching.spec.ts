import { TableField } from '../../tables/table-gateway';
import { FieldType } from '../../tables/field-types';
import { suggestMapping } from './field-matching';
import { nameScore, normaliseName } from './field-names';

const field = (name: string, type: FieldType = 'text'): TableField => ({
  id: `f-${name}`,
  name,
  type,
  description: null,
});

describe('field names', () => {
  it('normalises case, punctuation, units in brackets and camelCase', () => {
    expect(normaliseName('Part-No.')).toBe('part no');
    expect(normaliseName('Length (m)')).toBe('length');
    expect(normaliseName('FireRating')).toBe('fire rating');
    expect(normaliseName('Ø')).toBe('dia');
  });

  it.each([
    ['QTY', 'Quantity'],
    ['qty.', 'Count'],
    ['PART NO', 'Part number'],
    ['P/N', 'Part number'],
    ['PN', 'Part No.'],
    ['DESC', 'Description'],
    ['MATL', 'Material'],
    ['DIA', 'Diameter'],
    ['Ø', 'Diameter'],
    ['REV', 'Revision'],
    ['DWG NO', 'Drawing number'],
    ['DWG', 'Drawing no'],
    ['ITEM', 'Part number'],
    ['Qto_WallBaseQuantities.Length (m)', 'Length'],
    ['Pset_WallCommon.FireRating', 'Fire rating'],
    ['part_number', 'Part Number'],
  ])('matches %s with %s', (source, target) => {
    expect(nameScore(source, target)).toBeGreaterThanOrEqual(0.7);
  });

  it.each([
    ['NO', 'Notes'],
    ['ITEM', 'Item ID'],
    ['DESCRIPTION', 'Designer'],
    ['MATERIAL', 'Material cost'],
    ['REV', 'Review'],
    ['DIA', 'Diagram'],
    ['QTY', 'Quality'],
    ['Date', 'Update'],
    ['page', 'Package'],
    ['', 'Name'],
  ])('does not match %s with %s', (source, target) => {
    expect(nameScore(source, target)).toBe(0);
  });

  it('scores an exact name above a synonym, and a strong synonym above a weak one', () => {
    expect(nameScore('Part number', 'part number')).toBe(1);
    expect(nameScore('PART NO', 'Part number')).toBe(0.9);
    expect(nameScore('ITEM', 'Part number')).toBe(0.7);
  });
});

describe(suggestMapping.name, () => {
  const rows = [
    { ITEM: '1', 'PART NO': 'HX-100', DESCRIPTION: 'Housing', QTY: '1', MATERIAL: 'EN-GJL-250' },
    { ITEM: '2', 'PART NO': 'SH-200', DESCRIPTION: 'Shaft', QTY: '2', MATERIAL: '42CrMo4' },
  ];
  const sources = Object.keys(rows[0]);

  it('maps a parts list onto engineering field names, each target once', () => {
    const targets = [
      field('Part number'),
      field('Description'),
      field('Quantity', 'number'),
      field('Matl'),
    ];
    expect(suggestMapping(sources, rows, targets)).toEqual({
      'PART NO': 'f-Part number',
      DESCRIPTION: 'f-Description',
      QTY: 'f-Quantity',
      MATERIAL: 'f-Matl',
    });
  });

  it('gives a target to the better name when two sources want it', () => {
    const mapping = suggestMapping(sources, rows, [field('Part number'), field('Item')]);
    expect(mapping).toEqual({ 'PART NO': 'f-Part number', ITEM: 'f-Item' });
  });

  it('does not map text values onto a number field, whatever the name', () => {
    const texts = [{ QTY: 'several' }, { QTY: 'many' }];
    expect(suggestMapping(['QTY'], texts, [field('Quantity', 'number')])).toEqual({});
    expect(suggestMapping(['QTY'], texts, [field('Quantity', 'text')])).toEqual({
      QTY: 'f-Quantity',
    });
  });

  it('maps values with units onto a dimension field and dates onto a date field', () => {
    const data = [{ DIA: '12.5 mm', DATE: '2026-01-19' }];
    expect(
      suggestMapping(['DIA', 'DATE'], data, [
        field('Diameter', 'dimension'),
        field('Date', 'date'),
      ]),
    ).toEqual({ DIA: 'f-Diameter', DATE: 'f-Date' });
    expect(suggestMapping(['DATE'], [{ DATE: 'soon' }], [field('Date', 'date')])).toEqual({});
  });

  it('leaves unrelated fields unmapped', () => {
    expect(
      suggestMapping(['page', 'confidence'], [{ page: 1, confidence: 1 }], [field('Notes')]),
    ).toEqual({});
  });
});
