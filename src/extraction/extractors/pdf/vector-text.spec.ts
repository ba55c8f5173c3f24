import { strokeText } from '../../../../test/fixtures/pdf/stroke-text';
import { StrokeMark, hasVectorText, markOf } from './vector-text';

type Point = [number, number];

const marks = (polylines: Point[][], curved = false): StrokeMark[] =>
  polylines.map((p) => markOf(p, curved)).filter((m): m is StrokeMark => m !== null);

/** Segments of a circle drawn as separate short strokes (some exporters write arcs so). */
function segmentedCircle(cx: number, cy: number, r: number, n: number): Point[][] {
  return Array.from({ length: n }, (_, k) => {
    const a = (2 * Math.PI * k) / n;
    const b = (2 * Math.PI * (k + 1)) / n;
    return [
      [cx + r * Math.cos(a), cy + r * Math.sin(a)],
      [cx + r * Math.cos(b), cy + r * Math.sin(b)],
    ];
  });
}

describe('vector text detection', () => {
  it('finds words drawn as SHX-style strokes', () => {
    const text = ['FIXED SLIDE', 'BY SIMILAR', 'RACK SHELF DETAIL'].flatMap((s, k) =>
      strokeText(s, 40, 100 + 14 * k, 7),
    );
    expect(hasVectorText(marks(text))).toBe(true);
    // Two short words are not enough to say the page has its text drawn as lines.
    expect(hasVectorText(marks(strokeText('A-1 B', 40, 100, 7)))).toBe(false);
  });

  it('does not take hatching, dashed lines, arcs as segments or bolt holes for text', () => {
    const hatch: Point[][] = Array.from({ length: 60 }, (_, k) => [
      [100 + k * 3, 100],
      [110 + k * 3, 110],
    ]);
    const crossHatch: Point[][] = Array.from({ length: 60 }, (_, k) => [
      [100 + k * 3, 200],
      [100 + k * 3, 210],
    ]);
    const dashes: Point[][] = Array.from({ length: 80 }, (_, k) => [
      [20 + k * 6, 300],
      [24 + k * 6, 300],
    ]);
    const arcs = [0, 1, 2, 3].flatMap((k) => segmentedCircle(100 + 60 * k, 400, 20, 48));
    const holes: Point[][] = Array.from({ length: 40 }, (_, k) => {
      const [x, y] = [40 + 12 * k, 500];
      return [
        [x + 3, y],
        [x, y + 3],
        [x - 3, y],
        [x, y - 3],
        [x + 3, y],
      ];
    });
    expect(
      hasVectorText([
        ...marks([...hatch, ...crossHatch, ...dashes, ...arcs]),
        ...marks(holes, true),
      ]),
    ).toBe(false);
  });

  it('ignores paths too large to be glyph strokes', () => {
    expect(
      markOf(
        [
          [0, 0],
          [50, 0],
        ],
        false,
      ),
    ).toBeNull();
    expect(
      markOf(
        [
          [0, 0],
          [5, 5],
          [10, 0],
        ],
        false,
      ),
    ).toMatchObject({ kind: 4 });
    expect(
      markOf(
        [
          [0, 0],
          [0, 6],
        ],
        false,
      ),
    ).toMatchObject({ kind: 2 });
  });
});
