import { declaredUnit, parseDimensions } from './dimensions';

const one = (text: string, unit: string | null = null) => {
  const found = parseDimensions(text, unit);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('parseDimensions', () => {
  it.each([
    [
      'Ø20 H7',
      {
        dimension_type: 'diameter',
        value: 20,
        fit: 'H7',
        tolerance_plus: null,
        tolerance_minus: null,
        unit: null,
      },
    ],
    ['⌀8 mm', { dimension_type: 'diameter', value: 8, unit: 'mm' }],
    ['DIA 12', { dimension_type: 'diameter', value: 12 }],
    ['10 DIA', { dimension_type: 'diameter', value: 10 }],
    [
      'Ø12.5 ±0.1',
      { dimension_type: 'diameter', value: 12.5, tolerance_plus: 0.1, tolerance_minus: -0.1 },
    ],
    [
      'Ø20 H7 +0.021/-0',
      {
        dimension_type: 'diameter',
        value: 20,
        fit: 'H7',
        tolerance_plus: 0.021,
        tolerance_minus: 0,
      },
    ],
    [
      '50 +0.2/-0.1',
      {
        dimension_type: 'linear',
        value: 50,
        tolerance_plus: 0.2,
        tolerance_minus: -0.1,
        unit: null,
      },
    ],
    [
      '50 +0.2 -0.1 mm',
      {
        dimension_type: 'linear',
        value: 50,
        tolerance_plus: 0.2,
        tolerance_minus: -0.1,
        unit: 'mm',
      },
    ],
    [
      '50 -0.1/+0.2',
      { dimension_type: 'linear', value: 50, tolerance_plus: 0.2, tolerance_minus: -0.1 },
    ],
    ['25.4 mm', { dimension_type: 'linear', value: 25.4, unit: 'mm' }],
    ['3.2"', { dimension_type: 'linear', value: 3.2, unit: 'in' }],
    ['R5', { dimension_type: 'radius', value: 5, unit: null }],
    ['R2.5 TYP', { dimension_type: 'radius', value: 2.5, label: 'R2.5' }],
    ['M10x1.5', { dimension_type: 'thread', value: 10, pitch: 1.5, unit: 'mm' }],
    ['M8', { dimension_type: 'thread', value: 8, pitch: null }],
    ['M12x1.75-6g', { dimension_type: 'thread', value: 12, pitch: 1.75, label: 'M12x1.75-6g' }],
    ['45°', { dimension_type: 'angular', value: 45, unit: 'deg' }],
    [
      '30° ±0.5°',
      { dimension_type: 'angular', value: 30, tolerance_plus: 0.5, tolerance_minus: -0.5 },
    ],
  ])('reads %s', (text, expected) => {
    expect(one(text)).toMatchObject(expected);
  });

  it('never reports a tolerance as a dimension of its own', () => {
    const found = parseDimensions('120 ±0.1 and Ø6 +0.2/-0.1');
    expect(
      found.map((d) => [d.dimension_type, d.value, d.tolerance_plus, d.tolerance_minus]),
    ).toEqual([
      ['linear', 120, 0.1, -0.1],
      ['diameter', 6, 0.2, -0.1],
    ]);
  });

  it('ignores item numbers, scales, drawing numbers and temperatures', () => {
    for (const text of ['ITEM 1 QTY 2', 'SCALE 1:2', 'DWG NO A-1234', 'at 20 °C', 'Bearing 6204']) {
      expect(parseDimensions(text)).toEqual([]);
    }
  });

  it.each([
    ['42”', 'linear', 42],
    ['42"', 'linear', 42],
    ["42''", 'linear', 42],
    ['42″', 'linear', 42],
    ['1/2"', 'linear', 0.5],
    ['1-1/2"', 'linear', 1.5],
    ['1 1/2"', 'linear', 1.5],
    ['3/16”', 'linear', 0.1875],
    [`1'-4"`, 'linear', 16],
    [`1’-4”`, 'linear', 16],
    [`6' 0"`, 'linear', 72],
    [`6'-0 1/2"`, 'linear', 72.5],
    [`12'`, 'linear', 144],
    ['1" DIA.', 'diameter', 1],
    ['1/2" DIA', 'diameter', 0.5],
    ['Ø1-1/4"', 'diameter', 1.25],
    ['R1/4"', 'radius', 0.25],
    ['2.500 ±.005"', 'linear', 2.5],
  ])('reads the US callout %s in inches, keeping its text as the label', (text, type, inches) => {
    expect(one(text, 'mm')).toMatchObject({
      dimension_type: type,
      value: inches,
      unit: 'in',
      label: text,
    });
  });

  it('finds US callouts inside notes and reads the tolerance of an inch value', () => {
    expect(parseDimensions(`SHELF 42” WIDE, 1'-4" CLEAR, TUBE 1-1/2" SQ.`)).toMatchObject([
      { value: 42, label: '42”' },
      { value: 16, label: `1'-4"` },
      { value: 1.5, label: '1-1/2"' },
    ]);
    expect(one('2.500 ±.005"')).toMatchObject({ tolerance_plus: 0.005, tolerance_minus: -0.005 });
  });

  it('does not read dates, phone numbers, sheet numbers or fractions without an inch mark', () => {
    for (const text of [
      '12/25/90',
      'DATE 1/2/2024',
      'DEC 90',
      '(555) 123-4567',
      '555-123-4567',
      'C-1-7',
      'SHEET C-1-7',
      'SHEET 1/2',
      'SCALE 1/4',
      "O'BRIEN",
      'DWG 4711-02',
    ]) {
      expect([text, parseDimensions(text)]).toEqual([text, []]);
    }
    // Minutes after degrees belong to the angle, not to a foot mark.
    expect(parseDimensions(`30°15'`)).toMatchObject([{ dimension_type: 'angular', value: 30 }]);
  });

  it('applies the declared unit to values written without one, never to angles', () => {
    expect(one('R5', 'mm').unit).toBe('mm');
    expect(one('45°', 'mm').unit).toBe('deg');
    expect(declaredUnit(['NOTES', '1. ALL DIMENSIONS IN MM'])).toBe('mm');
    expect(declaredUnit(['UNITS: INCH'])).toBe('in');
    expect(declaredUnit(['GENERAL TOLERANCES ISO 2768-m'])).toBeNull();
  });
});
