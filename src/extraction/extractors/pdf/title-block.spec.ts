import { TextSegment } from './pdf-types';
import { buildTitleBlock, findTitlePairs, looksLikeTitleBlock } from './title-block';

/** A segment at (x, y) display coordinates, 10 pt type, ~5 pt per character. */
function seg(text: string, x: number, y: number, size = 10): TextSegment {
  return {
    text,
    bbox: [x, y, x + text.length * size * 0.5, y + size],
    fontSize: size,
    items: [],
    confidence: 1,
  };
}

describe('title block', () => {
  it('does not take a parts-list header as the drawing number', () => {
    const segments = [
      seg('DWG NO', 400, 700),
      seg('ITEM PART NO DESCRIPTION QTY', 460, 700),
      seg('DWG NO: ITEM PART NO DESCRIPTION', 400, 760),
    ];
    expect(findTitlePairs(segments)).toEqual([]);
  });

  it('does not read under a header row (ITEM | PART NO | MATERIAL) as label/value pairs', () => {
    const segments = [
      seg('ITEM', 400, 600),
      seg('PART NO', 440, 600),
      seg('MATERIAL', 520, 600),
      seg('1', 400, 614),
      seg('HX-100', 440, 614),
      seg('Steel', 520, 614),
    ];
    expect(findTitlePairs(segments)).toEqual([]);
  });

  it('pairs inline, right-hand and below values, mapping known labels and keeping the rest', () => {
    const segments = [
      seg('DRAWING NO: GB-7', 400, 700),
      seg('SCALE 1:5', 400, 720),
      seg('REV', 400, 740, 7),
      seg('B', 480, 739),
      seg('DRAWN BY', 400, 760, 7),
      seg('K. LEE', 400, 768),
      seg('APPROVED:', 500, 760),
      seg('M. ROSS', 560, 760),
    ];
    const block = buildTitleBlock(findTitlePairs(segments));
    expect(block).toEqual({
      drawing_number: 'GB-7',
      title: null,
      revision: 'B',
      date: null,
      author: 'K. LEE',
      company: null,
      scale: '1:5',
      sheet: null,
      material: null,
      finish: null,
      custom_fields: { approved: 'M. ROSS' },
      confidence: 0.72,
    });
  });

  it('completes a sheet without labels from loose texts, but needs a drawing number for it', () => {
    const box = {
      corner: [seg('STANDARD DETAIL KD-10.50.A', 400, 20)],
      bottom: [
        seg('RACK SHELF DETAIL', 440, 700, 9),
        seg('DEC 90', 440, 730),
        seg('C-1-7', 520, 730),
      ],
    };
    expect(buildTitleBlock([], 1, box)).toMatchObject({
      drawing_number: 'KD-10.50.A',
      title: 'RACK SHELF DETAIL',
      date: 'DEC 90',
      sheet: 'C-1-7',
      confidence: 0.5,
    });
    // A document footer ("CONFIDENTIAL", a date) is no title block.
    const footer = {
      corner: [],
      bottom: [seg('CONFIDENTIAL', 250, 800), seg('2024-03-15', 450, 800)],
    };
    expect(buildTitleBlock([], 1, footer)).toBeNull();
  });

  it('recognises a title-block grid by labels on several rows, but not a revision table', () => {
    expect(
      looksLikeTitleBlock([
        ['DWG NO', 'A-1'],
        ['SCALE', '1:1'],
        ['DATE', '2024-01-01'],
      ]),
    ).toBe(true);
    expect(
      looksLikeTitleBlock([
        ['REV', 'DATE', 'DRAWN BY'],
        ['A', '2024-01-01', 'JS'],
      ]),
    ).toBe(false);
  });
});
