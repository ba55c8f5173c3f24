import { coerceValue, parseDate, parseDimension, parseNumber } from './value-coercion';
import { inferFieldType } from './type-inference';

describe('value coercion', () => {
  it.each([
    ['12', 12],
    ['12,5', 12.5],
    ['-3.25', -3.25],
    ['1,234.5', 1234.5],
    ['1.234,5', 1234.5],
    ['1/2', 0.5],
    ['1 1/2', 1.5],
    ['1-1/2', 1.5],
  ])('reads the number %s', (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  it.each(['', 'abc', '1/0', '12 mm', '1.2.3'])('refuses %j as a plain number', (text) => {
    expect(parseNumber(text)).toBeNull();
  });

  it.each([
    ['12.5 mm', { value: 12.5, unit: 'mm' }],
    ['1/2"', { value: 0.5, unit: 'in' }],
    ['Ø20', { value: 20, unit: null }],
    ['12,5mm', { value: 12.5, unit: 'mm' }],
    ["3'", { value: 3, unit: 'ft' }],
    ['45°', { value: 45, unit: '°' }],
  ])('reads the dimension %s', (text, dimension) => {
    expect(parseDimension(text)).toEqual(dimension);
  });

  it('reads ISO and European dates and refuses impossible ones', () => {
    expect(parseDate('2026-01-19')).toBe('2026-01-19');
    expect(parseDate('2026-01-19T10:30:00Z')).toBe('2026-01-19');
    expect(parseDate('19.01.2026')).toBe('2026-01-19');
    expect(parseDate('2026-02-30')).toBeNull();
    expect(parseDate('next week')).toBeNull();
  });

  it('coerces to each field type or says why not', () => {
    expect(coerceValue('12,5', 'number')).toEqual({ ok: true, value: 12.5 });
    expect(coerceValue('8 pcs', 'number')).toEqual({
      ok: false,
      message: '"8 pcs" is not a valid number',
    });
    expect(coerceValue('12.5 mm', 'number')).toEqual({ ok: true, value: 12.5 });
    expect(coerceValue('1/2"', 'dimension')).toEqual({
      ok: true,
      value: { value: 0.5, unit: 'in' },
    });
    expect(coerceValue(7, 'dimension')).toEqual({ ok: true, value: { value: 7, unit: null } });
    expect(coerceValue('2026-01-19', 'date')).toEqual({ ok: true, value: '2026-01-19' });
    expect(coerceValue('yes', 'boolean')).toEqual({ ok: true, value: true });
    expect(coerceValue('maybe', 'boolean').ok).toBe(false);
    expect(coerceValue('www.example.com/a', 'url')).toEqual({
      ok: true,
      value: 'https://www.example.com/a',
    });
    expect(coerceValue('javascript:alert(1)', 'url').ok).toBe(false);
    expect(coerceValue('a@b.co', 'email')).toEqual({ ok: true, value: 'a@b.co' });
    expect(coerceValue('not mail', 'email').ok).toBe(false);
    expect(coerceValue(true, 'text')).toEqual({ ok: true, value: 'true' });
    expect(coerceValue('abc', 'number')).toEqual({
      ok: false,
      message: '"abc" is not a valid number',
    });
  });

  it('keeps empty values empty for every type', () => {
    expect(coerceValue(null, 'number')).toEqual({ ok: true, value: null });
    expect(coerceValue('  ', 'date')).toEqual({ ok: true, value: null });
  });
});

describe(inferFieldType.name, () => {
  it.each<[string, (string | number | boolean | null)[], string]>([
    ['QTY', ['1', '2', '8'], 'number'],
    ['Amount', [1, 2.5], 'number'],
    ['Diameter', ['12', '20'], 'dimension'],
    ['Size', ['12.5 mm', '1/2"'], 'dimension'],
    ['Length (m)', [5, 7.5], 'dimension'],
    ['Date', ['2026-01-19', '19.01.2026'], 'date'],
    ['Released', ['2026-01-19'], 'date'],
    ['Datasheet', ['https://example.com/a.pdf'], 'url'],
    ['Contact', ['a@b.co'], 'email'],
    ['IsExternal', [true, false], 'boolean'],
    ['Is external', ['yes', 'no'], 'boolean'],
    ['PART NO', ['12345', '12346'], 'text'],
    ['ITEM', ['1', '1.1', '1.2'], 'text'],
    ['Code', ['007', '008'], 'text'],
    ['Batch', ['007', '008'], 'text'],
    ['DESCRIPTION', ['Housing', 'Shaft'], 'text'],
    ['Quantity', [], 'number'],
    ['Notes', [null, ''], 'text'],
  ])('infers %s from %j as %s', (name, values, type) => {
    expect(inferFieldType(name, values)).toBe(type);
  });
});
