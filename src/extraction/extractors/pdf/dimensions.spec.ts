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

  it('applies the declared unit to values written without one, never to angles', () => {
    expect(one('R5', 'mm').unit).toBe('mm');
    expect(one('45°', 'mm').unit).toBe('deg');
    expect(declaredUnit(['NOTES', '1. ALL DIMENSIONS IN MM'])).toBe('mm');
    expect(declaredUnit(['UNITS: INCH'])).toBe('in');
    expect(declaredUnit(['GENERAL TOLERANCES ISO 2768-m'])).toBeNull();
  });
});
