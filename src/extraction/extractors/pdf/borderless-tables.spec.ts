import { findBorderlessGrids } from './borderless-tables';
import { TextSegment } from './pdf-types';

function seg(text: string, x: number, y: number): TextSegment {
  return {
    text,
    bbox: [x, y, x + text.length * 5, y + 10],
    fontSize: 10,
    items: [],
    confidence: 1,
  };
}

/** Lines of cells at the given tops, cells at the given lefts. */
const rowsAt = (tops: number[], lefts: number[], cells: string[][]): TextSegment[] =>
  tops.flatMap((y, r) => cells[r].map((c, k) => seg(c, lefts[k], y)));

describe('findBorderlessGrids', () => {
  it('reads evenly spaced aligned rows as a grid', () => {
    const segments = rowsAt(
      [100, 118, 136, 154],
      [40, 120, 200],
      [
        ['NAME', 'QTY', 'COST'],
        ['Bolt', '4', '$1.20'],
        ['Nut', '8', '$0.40'],
        ['Washer', '8', '$0.10'],
      ],
    );
    expect(findBorderlessGrids(segments).map((g) => g.cells)).toEqual([
      [
        ['NAME', 'QTY', 'COST'],
        ['Bolt', '4', '$1.20'],
        ['Nut', '8', '$0.40'],
        ['Washer', '8', '$0.10'],
      ],
    ]);
  });

  it('ignores callouts scattered over a drawing even when they line up in columns', () => {
    const segments = rowsAt(
      [100, 112, 126, 150],
      [40, 300],
      [
        ['Ø20 H7', 'R5'],
        ['45°', 'M10x1.5'],
        ['R2', 'Ø6'],
        ['30°', '12 mm'],
      ],
    );
    expect(findBorderlessGrids(segments)).toEqual([]);
  });

  it('ignores two columns of running text', () => {
    const left = 'The housing is cast in grey iron and machined';
    const right = 'All bearings are pressed in with a fixture';
    const segments = rowsAt(
      [100, 114, 128],
      [40, 320],
      [
        [left, right],
        [left, right],
        [left, right],
      ],
    );
    expect(findBorderlessGrids(segments)).toEqual([]);
  });
});
