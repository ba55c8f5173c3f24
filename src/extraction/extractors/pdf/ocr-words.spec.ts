import { OcrWord } from './ocr-engine';
import { dropOcrNoise, ocrTextItems } from './ocr-words';
import { buildBlocks, buildSegments } from './text-layout';

/**
 * Tesseract's words (default page mode, 300 DPI) for four stacked labels beside a vertical
 * dimension whose turned text "2 1/2"" it read as one tall word spanning the last three lines.
 */
const STACK_WITH_DIMENSION: OcrWord[] = [
  { text: '21/2"', x0: 161, y0: 246, x1: 206, y1: 415, confidence: 0.69, line: 0 },
  { text: 'FIXED', x0: 254, y0: 219, x1: 379, y1: 252, confidence: 0.96, line: 1 },
  { text: 'SLIDE', x0: 410, y0: 219, x1: 533, y1: 252, confidence: 0.96, line: 1 },
  { text: 'BY', x0: 254, y0: 269, x1: 306, y1: 302, confidence: 0.96, line: 2 },
  { text: 'SIMILAR', x0: 336, y0: 269, x1: 513, y1: 302, confidence: 0.94, line: 2 },
  { text: 'SEE', x0: 253, y0: 319, x1: 335, y1: 352, confidence: 0.96, line: 3 },
  { text: 'NOTE', x0: 367, y0: 319, x1: 482, y1: 352, confidence: 0.96, line: 3 },
  { text: '3', x0: 513, y0: 319, x1: 535, y1: 352, confidence: 0.96, line: 3 },
  { text: 'TYP.', x0: 251, y0: 369, x1: 346, y1: 400, confidence: 0.93, line: 4 },
  { text: 'EACH', x0: 379, y0: 369, x1: 495, y1: 402, confidence: 0.96, line: 4 },
  { text: 'END', x0: 529, y0: 369, x1: 615, y1: 402, confidence: 0.96, line: 4 },
];
const SCALE = 300 / 72;

const word = (text: string, confidence: number, box = [0, 0, 60, 30]): OcrWord => ({
  text,
  x0: box[0],
  y0: box[1],
  x1: box[2],
  y1: box[3],
  confidence,
  line: 0,
});

describe('OCR words before layout', () => {
  it('keeps four stacked labels apart when a tall dimension word stands beside them', () => {
    const items = ocrTextItems(STACK_WITH_DIMENSION, SCALE);
    expect(items.map((i) => i.text)).not.toContain('21/2"');
    expect(buildBlocks(buildSegments(items)).map((b) => b.text)).toEqual([
      'FIXED SLIDE\nBY SIMILAR\nSEE NOTE 3\nTYP. EACH END',
    ]);
  });

  it('keeps the OCR lines even when a tall word is not dropped', () => {
    // Confident and as wide as real text of its height: kept, yet it cannot glue the lines.
    const tall = { ...STACK_WITH_DIMENSION[0], text: 'TITLE', x1: 161 + 700, confidence: 0.97 };
    const items = ocrTextItems([tall, ...STACK_WITH_DIMENSION.slice(1)], SCALE);
    expect(buildSegments(items).map((s) => s.text)).toEqual([
      'FIXED SLIDE',
      'TITLE',
      'BY SIMILAR',
      'SEE NOTE 3',
      'TYP. EACH END',
    ]);
  });

  it('drops low-confidence, short unsure and symbol-only words', () => {
    const words = [
      word('SHELF', 0.95),
      word('KD-10.50.A', 0.39),
      word('><', 0.45),
      word('oO', 0.49),
      word('O', 0.82),
      word('|', 0.9),
      word('~', 0.87),
      word('omens', 0.12),
    ];
    expect(dropOcrNoise(words).map((w) => w.text)).toEqual(['SHELF', 'KD-10.50.A', 'O']);
  });
});
