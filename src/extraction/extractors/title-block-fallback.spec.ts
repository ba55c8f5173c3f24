import { emptyTitleBlock } from './cad-result';
import {
  drawingNumberIn,
  fillFromLooseTexts,
  isDateText,
  isDrawingNumber,
} from './title-block-fallback';

describe('title-block fallback for unlabelled texts', () => {
  it('recognises drawing numbers, also after a few words of capitals', () => {
    for (const text of ['GB-1001', 'KD-10.50.A', 'C-1-7', 'A-100-01', '4711-02', 'DRW-2024-001'])
      expect([text, isDrawingNumber(text)]).toEqual([text, true]);
    for (const text of ['M10x1.5', 'R2.5', 'SHEET 2', 'REV 3', 'A3', 'DEC 90', '1:2', 'Ø20'])
      expect([text, isDrawingNumber(text)]).toEqual([text, false]);
    expect(drawingNumberIn('STANDARD DETAIL KD-10.50.A')).toBe('KD-10.50.A');
    expect(drawingNumberIn('C-1-7/')).toBe('C-1-7');
    expect(drawingNumberIn('RACK SHELF DETAIL')).toBeNull();
    expect(drawingNumberIn('SEE NOTE 3')).toBeNull();
  });

  it('recognises dates as drawings write them', () => {
    for (const text of [
      'DEC 90',
      '15 MAR 2024',
      'MAR. 15, 2024',
      '2024-03-15',
      '15.03.2024',
      '3/15/24',
    ])
      expect([text, isDateText(text)]).toEqual([text, true]);
    for (const text of ['DECK 90', '1:2', 'C-1-7', '555-123-4567'])
      expect([text, isDateText(text)]).toEqual([text, false]);
  });

  it('fills drawing number, date and tallest worded text as title, leaving labelled fields', () => {
    const tb = emptyTitleBlock();
    tb.revision = 'B';
    const texts = [
      { text: 'DIA', height: 20 },
      { text: 'DEC 90', height: 7 },
      { text: 'C-1-7', height: 7 },
      { text: 'RACK SHELF DETAIL', height: 9 },
      { text: 'TYP.', height: 12 },
    ];
    const { filled, used } = fillFromLooseTexts(tb, texts);
    expect(filled).toBe(3);
    expect(tb).toMatchObject({
      drawing_number: 'C-1-7',
      date: 'DEC 90',
      title: 'RACK SHELF DETAIL',
      revision: 'B',
    });
    expect([...used].map((t) => t.text)).toEqual(['C-1-7', 'DEC 90', 'RACK SHELF DETAIL']);
  });
});
