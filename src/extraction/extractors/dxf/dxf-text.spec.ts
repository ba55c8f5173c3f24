import { julianToIso, releaseName, unitsFromInsunits } from './dxf-header';
import { aciColorName } from './aci-colors';
import { parseTolerance, plainMText, plainText } from './dxf-text';

describe('plainMText', () => {
  it.each([
    [
      'Multi-line text\\Pwith paragraph\\Pand formatting',
      'Multi-line text\nwith paragraph\nand formatting',
    ],
    ['{\\fArial|b1|i1;BOLD}\\P{\\C1;Red}', 'BOLD\nRed'],
    ['\\H2.5x;Big\\~gap', 'Big gap'],
    ['\\A1;\\pxqc;centred \\Lunder\\l \\Oover\\o \\Kstrike\\k', 'centred under over strike'],
    ['\\S1/2; and \\S+0.1^-0.2;', '1/2 and +0.1/-0.2'],
    ['%%c10 %%d %%p0.1 100%%%', 'Ø10 ° ±0.1 100%'],
    ['\\U+00D8 \\\\ \\{x\\}', 'Ø \\ {x}'],
    ['tab^Iend', 'tab\tend'],
  ])('%s', (raw, plain) => {
    expect(plainMText(raw)).toBe(plain);
  });
});

describe('plainText', () => {
  it('replaces %% codes and drops underline toggles', () => {
    expect(plainText('%%uØ%%u %%c5 %%176')).toBe('Ø Ø5 °');
  });
});

describe('parseTolerance', () => {
  it.each([
    ['<>±0.1', 0.1, -0.1],
    ['<>%%p0.05', 0.05, -0.05],
    ['<>+/-0.2', 0.2, -0.2],
    ['<>\\S+0.1^-0.2;', 0.1, -0.2],
    ['<>{\\H0.7x;\\S+0.05^ 0;}', 0.05, 0],
    ['50 +0.1/-0.05', 0.1, -0.05],
    ['<>', null, null],
    ['2X <>', null, null],
  ])('%s', (raw, plus, minus) => {
    expect(parseTolerance(raw)).toEqual({ plus, minus });
  });
});

describe('header helpers', () => {
  it('converts AutoCAD Julian dates (day number + fraction since midnight)', () => {
    // The Autodesk DXF reference's own example.
    expect(julianToIso(2451544.91568287, false)).toBe('1999-12-31T21:58:35.000');
    expect(julianToIso(2460325, true)).toBe('2024-01-15T00:00:00.000Z');
    expect(julianToIso(2460325.25, false)).toBe('2024-01-15T06:00:00.000');
    expect(julianToIso(0, false)).toBeNull();
  });

  it('names releases, units and colours', () => {
    expect([releaseName('AC1024'), releaseName('AC1009'), releaseName('AC9999')]).toEqual([
      'R2010',
      'R12',
      null,
    ]);
    expect(unitsFromInsunits(4)).toEqual({ code: 4, unit: 'mm', name: 'millimeters' });
    expect(unitsFromInsunits(0)).toEqual({ code: 0, unit: null, name: 'unitless' });
    expect([1, 2, 3, 4, 5, 6, 7, -1, 256, 10].map(aciColorName)).toEqual([
      'red',
      'yellow',
      'green',
      'cyan',
      'blue',
      'magenta',
      'white',
      'red',
      'ByLayer',
      '#ff0000',
    ]);
  });
});

describe('title block and BOM recognition', () => {
  it('recognises title-block names but not look-alikes', () => {
    const { isTitleBlockInsert } =
      require('./dxf-title-block') as typeof import('./dxf-title-block');
    const ins = (block: string, tags: string[] = []) => ({
      block,
      layer: '0',
      position: null,
      paper: false,
      attributes: tags.map((tag) => ({ tag, value: 'x' })),
    });
    expect(
      ['TITLE_A3', 'TB', 'TB_A1', 'TB-2', 'A3_TITLEBLOCK', 'Title Block'].map((n) =>
        isTitleBlockInsert(ins(n)),
      ),
    ).toEqual([true, true, true, true, true, true]);
    expect(isTitleBlockInsert(ins('TBOLT'))).toBe(false);
    expect(isTitleBlockInsert(ins('FRAME', ['DWG_NO', 'REV']))).toBe(true);
    expect(isTitleBlockInsert(ins('PART', ['PART_NUMBER', 'MATERIAL', 'QTY']))).toBe(false);
  });
});
