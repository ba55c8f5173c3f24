/**
 * Title-block fields from texts that carry no label, shared by the DXF and PDF readers. Many
 * sheets have none: "STANDARD DETAIL KD-10.50.A" in a corner, a box with "RACK SHELF DETAIL /
 * DEC 90 / C-1-7". A text shaped like a drawing number is the drawing number, a date-like text
 * the date, and the tallest remaining text with words in it the title.
 */
import { CadTitleBlock } from './cad-result';

/** A text without a label, with its height (text height in DXF, font size in PDF). */
export interface LooseText {
  text: string;
  height: number | null;
}

/** "GB-1001", "KD-10.50.A", "C-1-7", "A100-3", "4711-02": letters or digits, then separators. */
const DRAWING_NUMBER_LIKE = /^[A-Z]{1,6}[-_ ]?\d[\w./-]*$|^\d{3,}[-_./]\d[\w./-]*$/i;
const MIN_DRAWING_NUMBER_CHARS = 4;
/** Callouts and labels that have the shape of a number: M10x1.5, R2.5, SHEET 2, REV 3, A3. */
const NOT_A_DRAWING_NUMBER =
  /^(?:[MR]\d+(?:[.,]\d+)?(?:X\d+(?:[.,]\d+)?)?|(?:SHEET|SHT|REV|SCALE|PAGE|ITEM|QTY|NOTE|DETAIL|SECTION|VIEW|ZONE|SIZE|SIZES|TYP)[-_ ]?\d.*)$/i;
/** Callout abbreviations that stand alone on drawings and are never a title. */
const ABBREVIATION = /^(?:DIA|TYP|REF|MAX|MIN|THRU|SIM|NTS|EQ|CL|OC|O\.C|C\/C|MTL|STL)\.?$/i;
const MONTHS =
  'JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|SEP(?:T(?:EMBER)?)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?';
/** DEC 90, 15 MAR 2024, MAR. 15, 2024, 2024-03-15, 15.03.2024, 3/15/24. */
const DATE_LIKE = new RegExp(
  [
    String.raw`^(?:\d{1,2}[ -])?(?:${MONTHS})\.?[ -]?(?:\d{1,2},? )?(?:\d{2}|\d{4})$`,
    String.raw`^\d{4}-\d{1,2}-\d{1,2}$`,
    String.raw`^\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})$`,
  ].join('|'),
  'i',
);

export function isDateText(text: string): boolean {
  return DATE_LIKE.test(text.trim());
}

export function isDrawingNumber(text: string): boolean {
  const t = text.trim();
  return (
    t.length >= MIN_DRAWING_NUMBER_CHARS &&
    DRAWING_NUMBER_LIKE.test(t) &&
    !NOT_A_DRAWING_NUMBER.test(t) &&
    !isDateText(t)
  );
}

/**
 * The drawing number a text holds: the whole text, or its last word after up to three words of
 * capitals ("STANDARD DETAIL KD-10.50.A" → "KD-10.50.A").
 */
export function drawingNumberIn(text: string): string | null {
  const t = text.trim().replace(/[./-]+$/, '');
  if (isDrawingNumber(t)) return t;
  const m = /^(?:[A-Z]{2,}\s+){1,3}(\S+)$/.exec(t);
  return m && /\d/.test(m[1]) && isDrawingNumber(m[1]) ? m[1] : null;
}

/**
 * Fills the drawing number, the date and the title that are still empty from loose texts, in
 * the given order of preference; returns how many fields it filled and the texts it used.
 */
export function fillFromLooseTexts<T extends LooseText>(
  tb: CadTitleBlock,
  texts: T[],
): { filled: number; used: Set<T> } {
  const used = new Set<T>();
  let filled = 0;
  if (tb.drawing_number === null) {
    for (const t of texts) {
      const number = drawingNumberIn(t.text);
      if (number) {
        tb.drawing_number = number;
        used.add(t);
        filled++;
        break;
      }
    }
  }
  if (tb.date === null) {
    const date = texts.find((t) => !used.has(t) && isDateText(t.text));
    if (date) {
      tb.date = date.text.trim();
      used.add(date);
      filled++;
    }
  }
  if (tb.title === null) {
    const worded = texts.filter(
      (t) =>
        !used.has(t) &&
        /[A-Za-z]{3}/.test(t.text) &&
        !ABBREVIATION.test(t.text.trim()) &&
        drawingNumberIn(t.text) === null,
    );
    const tallest = worded.reduce<T | null>(
      (best, t) => (best === null || (t.height ?? 0) > (best.height ?? 0) ? t : best),
      null,
    );
    if (tallest) {
      tb.title = tallest.text.trim();
      used.add(tallest);
      filled++;
    }
  }
  return { filled, used };
}
