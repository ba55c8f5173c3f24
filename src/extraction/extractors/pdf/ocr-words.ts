/**
 * OCR words → layout items. First drops words that are drawing geometry read as text: on a
 * drawing, tesseract reads dimension lines, leaders, hatching and rotated callouts as words. Such
 * a word is usually low-confidence, symbol-only, or far taller than the page's text; one tall word
 * beside a stack of labels would otherwise tie those lines together. The items keep the OCR
 * engine's line of each word, which the layout uses instead of regrouping by geometry.
 */
import { OcrWord } from './ocr-engine';
import { TextItem } from './pdf-types';

/** Below this (0..1) a word is garbage more often than text on drawings (tesseract's 30). */
export const MIN_WORD_CONFIDENCE = 0.3;
/** One- or two-character words ("oO" for a bolt hole, "l1" for a line end) need this. */
const MIN_SHORT_WORD_CONFIDENCE = 0.6;
/** A word this many times taller than the page's median word is an outlier… */
const OUTLIER_HEIGHT_RATIO = 2.5;
/** …and dropped unless tesseract is sure of it and it is as wide as real text of that height. */
const OUTLIER_KEEP_CONFIDENCE = 0.85;
/** Width per character, in word heights, below which a tall word is a vertical stroke. */
const MIN_WIDTH_PER_CHAR = 0.3;

const heightOf = (w: OcrWord): number => w.y1 - w.y0;

function medianHeight(words: OcrWord[]): number {
  const heights = words.map(heightOf).sort((a, b) => a - b);
  return heights.length === 0 ? 0 : heights[Math.floor(heights.length / 2)];
}

function isNoise(word: OcrWord, median: number): boolean {
  if (word.confidence < MIN_WORD_CONFIDENCE) return true;
  if (word.text.length <= 2 && word.confidence < MIN_SHORT_WORD_CONFIDENCE) return true;
  // Words without a letter or digit ("~", "|", "-", "©" for a circle) carry nothing on a drawing.
  if (!/[\p{L}\p{N}]/u.test(word.text)) return true;
  const h = heightOf(word);
  if (median > 0 && h > OUTLIER_HEIGHT_RATIO * median) {
    const narrow = word.x1 - word.x0 < MIN_WIDTH_PER_CHAR * h * word.text.length;
    return narrow || word.confidence < OUTLIER_KEEP_CONFIDENCE;
  }
  return false;
}

/** The words worth laying out; the median height is taken over the confident words. */
export function dropOcrNoise(words: OcrWord[]): OcrWord[] {
  const confident = words.filter((w) => w.confidence >= MIN_SHORT_WORD_CONFIDENCE);
  const median = medianHeight(confident.length > 0 ? confident : words);
  return words.filter((w) => !isNoise(w, median));
}

/** Page items (PDF points) from the words of an image rendered at `scale` pixels per point. */
export function ocrTextItems(words: OcrWord[], scale: number): TextItem[] {
  return dropOcrNoise(words).map((w) => ({
    text: w.text,
    x0: w.x0 / scale,
    y0: w.y0 / scale,
    x1: w.x1 / scale,
    y1: w.y1 / scale,
    // A word box spans roughly cap height plus descender: about 0.75 em.
    fontSize: Math.round(((w.y1 - w.y0) / scale / 0.75) * 10) / 10,
    horizontal: true,
    confidence: w.confidence,
    fromOcr: true,
    ocrLine: w.line,
  }));
}
