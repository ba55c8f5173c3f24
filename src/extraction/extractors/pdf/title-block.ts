/**
 * Title block: label/value pairs in the bottom-right region of a sheet, where drawings put it.
 * Pairs come as "LABEL: value" in one segment, or a label segment with its value to the right on
 * the same line or just below it. Values that are themselves labels or table header words are
 * refused, so a parts-list header "ITEM PART NO DESCRIPTION QTY" never becomes a drawing number.
 * Fields no label names are taken from loose texts (top-right corner, bottom-right region, bottom
 * centre) by the fallback shared with the DXF reader.
 */
import { CadTitleBlock, emptyTitleBlock } from '../cad-result';
import { drawingNumberIn, fillFromLooseTexts, isDateText } from '../title-block-fallback';
import { parseDimensions } from './dimensions';
import { detectHeaderRows } from './table-analysis';
import { TextSegment } from './pdf-types';

type Field = Exclude<keyof CadTitleBlock, 'custom_fields' | 'confidence'>;

const FIELD_LABELS: [Field, string[]][] = [
  [
    'drawing_number',
    [
      'DRAWING NUMBER',
      'DRAWING NO',
      'DRAWING #',
      'DWG NUMBER',
      'DWG NO',
      'DWG #',
      'DRG NO',
      'DOCUMENT NUMBER',
      'DOCUMENT NO',
      'DOC NO',
      'PART NUMBER OF DRAWING',
    ],
  ],
  ['title', ['DRAWING TITLE', 'TITLE', 'DESIGNATION']],
  ['revision', ['REVISION', 'REV']],
  ['date', ['DATE', 'DRAWN DATE', 'ISSUE DATE']],
  ['author', ['DRAWN BY', 'DRAWN', 'AUTHOR', 'DESIGNED BY', 'DESIGNER', 'DRN']],
  ['company', ['COMPANY', 'ORGANIZATION', 'ORGANISATION', 'FIRM']],
  ['scale', ['SCALE']],
  ['sheet', ['SHEET', 'SHT']],
  ['material', ['MATERIAL', 'MATL']],
  ['finish', ['SURFACE FINISH', 'FINISH', 'SURFACE TREATMENT', 'TREATMENT']],
];

/** Words that head table columns; a value equal to one of them is a header, not a value. */
const TABLE_HEADER_WORDS = new Set([
  'ITEM',
  'ITEM NO',
  'POS',
  'PART NO',
  'PART NUMBER',
  'P/N',
  'DESCRIPTION',
  'QTY',
  'QUANTITY',
  'MATERIAL',
  'NO',
  'REMARKS',
  'UNIT',
  'WEIGHT',
]);

const norm = (s: string): string =>
  s.toUpperCase().replace(/[.:]/g, '').replace(/\s+/g, ' ').trim();

const LABEL_INDEX: { label: string; field: Field }[] = FIELD_LABELS.flatMap(([field, labels]) =>
  labels.map((label) => ({ label, field })),
).sort((a, b) => b.label.length - a.label.length);

function fieldOf(label: string): Field | null {
  const n = norm(label);
  return LABEL_INDEX.find((l) => l.label === n)?.field ?? null;
}

function isLabelLike(text: string): boolean {
  const n = norm(text);
  return fieldOf(text) !== null || TABLE_HEADER_WORDS.has(n);
}

export interface TitlePair {
  label: string;
  value: string;
  field: Field | null;
  segments: TextSegment[];
}

/** "DWG NO: A-1" or "DWG NO A-1" (known label at the start) inside one segment. */
function inlinePair(seg: TextSegment): TitlePair | null {
  const colon = /^([A-Za-z][A-Za-z .#/]{0,30}?)\s*:\s*(.+)$/.exec(seg.text);
  if (colon)
    return {
      label: colon[1].trim(),
      value: colon[2].trim(),
      field: fieldOf(colon[1]),
      segments: [seg],
    };
  const upper = seg.text.toUpperCase();
  for (const { label, field } of LABEL_INDEX) {
    if (upper.startsWith(label + ' ') && seg.text.length > label.length + 1) {
      const value = seg.text
        .slice(label.length)
        .replace(/^[\s.:]+/, '')
        .trim();
      if (value) return { label: seg.text.slice(0, label.length), value, field, segments: [seg] };
    }
  }
  return null;
}

const sameLine = (a: TextSegment, b: TextSegment): boolean =>
  Math.abs((a.bbox[1] + a.bbox[3]) / 2 - (b.bbox[1] + b.bbox[3]) / 2) <
  0.6 * (a.bbox[3] - a.bbox[1]);

/** A label standing in a row of table header words (ITEM | PART NO | QTY ...) is a header. */
function inHeaderRow(label: TextSegment, pool: TextSegment[]): boolean {
  const row = pool.filter((s) => sameLine(s, label));
  const headerWords = row.filter((s) => TABLE_HEADER_WORDS.has(norm(s.text))).length;
  return row.filter((s) => isLabelLike(s.text)).length >= 3 && headerWords >= 2;
}

/**
 * The value of a lone label: the nearest segment to its right on the same line (when that is not
 * another label), else the nearest segment just below it.
 */
function neighbourValue(label: TextSegment, pool: TextSegment[]): TextSegment | null {
  const [x0, y0, x1, y1] = label.bbox;
  const h = y1 - y0;
  const maxGap = Math.max(20 * label.fontSize, 200);
  const right = pool
    .filter((s) => s !== label && s.bbox[0] >= x1 - 1 && sameLine(label, s))
    .sort((a, b) => a.bbox[0] - b.bbox[0])[0];
  if (right && right.bbox[0] - x1 < maxGap && !isLabelLike(right.text) && !/:$/.test(right.text)) {
    return right;
  }
  const below = pool
    .filter(
      (s) =>
        s !== label &&
        s.bbox[1] >= y1 - 1 &&
        s.bbox[1] - y1 < 1.5 * h + 4 &&
        s.bbox[0] < x1 &&
        s.bbox[2] > x0 - 2,
    )
    .sort(
      (a, b) => a.bbox[1] - b.bbox[1] || Math.abs(a.bbox[0] - x0) - Math.abs(b.bbox[0] - x0),
    )[0];
  return below ?? null;
}

/** Values made of several table header words ("ITEM PART NO DESCRIPTION QTY") are headers. */
function looksLikeHeaderText(text: string): boolean {
  const n = norm(text);
  const hits = [...TABLE_HEADER_WORDS].filter((w) =>
    new RegExp(`(?:^| )${w.replace('/', '\\/')}(?: |$)`).test(n),
  );
  return hits.length >= 2;
}

/** Label/value pairs among the given segments (already limited to the title-block region). */
export function findTitlePairs(segments: TextSegment[]): TitlePair[] {
  const pairs: TitlePair[] = [];
  const used = new Set<TextSegment>();
  for (const seg of segments) {
    if (fieldOf(seg.text) !== null || /^[A-Za-z][A-Za-z .#/]{0,30}:$/.test(seg.text)) continue;
    const pair = inlinePair(seg);
    if (pair && !isLabelLike(pair.value) && !looksLikeHeaderText(pair.value)) {
      pairs.push(pair);
      used.add(seg);
    }
  }
  for (const seg of segments) {
    if (used.has(seg)) continue;
    const field = fieldOf(seg.text);
    const colonLabel = /^([A-Za-z][A-Za-z .#/]{0,30}):$/.exec(seg.text);
    if (field === null && !colonLabel) continue;
    if (inHeaderRow(seg, segments)) continue;
    const value = neighbourValue(
      seg,
      segments.filter((s) => !used.has(s)),
    );
    if (
      !value ||
      isLabelLike(value.text) ||
      looksLikeHeaderText(value.text) ||
      /:$/.test(value.text)
    )
      continue;
    pairs.push({
      label: seg.text.replace(/:$/, '').trim(),
      value: value.text,
      field,
      segments: [seg, value],
    });
    used.add(seg);
    used.add(value);
  }
  return pairs;
}

/** Segments in the bottom-right region of a page, where title blocks sit. */
export function titleBlockRegion(
  segments: TextSegment[],
  width: number,
  height: number,
): TextSegment[] {
  return segments.filter((s) => s.bbox[2] > width * 0.45 && s.bbox[1] > height * 0.55);
}

/** Loose texts longer than this are notes, not title-block fields. */
const MAX_LOOSE_CHARS = 60;

/** Unlabelled texts where sheets without a labelled title block put their fields. */
export interface LooseTitleTexts {
  /** Top-right corner: only its drawing number is used ("STANDARD DETAIL KD-10.50.A"). */
  corner: TextSegment[];
  /** Bottom-right region, then bottom centre (a title under the views). */
  bottom: TextSegment[];
}

/**
 * Loose texts of a page; labels, dimension callouts and notes are left out. Texts `inTitleGrid`
 * (a title-block grid found among the drawn rules) come first in the bottom list.
 */
export function looseTitleTexts(
  segments: TextSegment[],
  width: number,
  height: number,
  inTitleGrid: (s: TextSegment) => boolean = () => false,
): LooseTitleTexts {
  const usable = segments.filter(
    (s) =>
      s.text.length <= MAX_LOOSE_CHARS &&
      !isLabelLike(s.text) &&
      !/:/.test(s.text) &&
      parseDimensions(s.text).length === 0,
  );
  const bottomCentre = usable.filter((s) => {
    const cx = (s.bbox[0] + s.bbox[2]) / 2;
    return s.bbox[1] > height * 0.75 && cx > width * 0.2 && cx < width * 0.8;
  });
  return {
    corner: usable.filter((s) => s.bbox[2] > width * 0.55 && s.bbox[3] < height * 0.15),
    bottom: [
      ...new Set([
        ...usable.filter(inTitleGrid),
        ...titleBlockRegion(usable, width, height),
        ...bottomCentre,
      ]),
    ],
  };
}

/**
 * The title block from labelled pairs, completed from loose texts. Labelled fields weigh more in
 * the confidence than fields guessed from their shape; a block needs two fields.
 */
export function buildTitleBlock(
  pairs: TitlePair[],
  confidenceFactor = 1,
  loose: LooseTitleTexts = { corner: [], bottom: [] },
): CadTitleBlock | null {
  const block = emptyTitleBlock();
  let mapped = 0;
  for (const pair of pairs) {
    if (pair.field && block[pair.field] === null) {
      block[pair.field] = pair.value;
      mapped++;
    } else if (!pair.field) {
      const key = pair.label
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_|_$/g, '');
      if (key && !(key in block.custom_fields)) block.custom_fields[key] = pair.value;
    }
  }
  let guessed = 0;
  const cornerNumber = block.drawing_number
    ? null
    : loose.corner.map((s) => drawingNumberIn(s.text)).find(Boolean);
  if (cornerNumber) {
    block.drawing_number = cornerNumber;
    guessed++;
  }
  const texts = loose.bottom.map((s) => ({ text: s.text, height: s.fontSize }));
  const { filled, used } = fillFromLooseTexts(block, texts);
  guessed += filled;
  // A second number-shaped text beside the drawing number ("C-1-7" in the corner box) is the sheet.
  const sheet = texts.find((t) => !used.has(t) && drawingNumberIn(t.text) === t.text.trim());
  if (block.sheet === null && block.drawing_number !== null && sheet) {
    block.sheet = sheet.text.trim();
    guessed++;
  }
  if (mapped + guessed < 2) return null;
  // Without any label, only a drawing number says this is a sheet (a footer with a date is not).
  if (mapped === 0 && block.drawing_number === null) return null;
  const [base, cap] = mapped >= 2 ? [0.4, 0.95] : [0.3, 0.6];
  const confidence = Math.min(cap, base + 0.08 * mapped + 0.05 * guessed);
  block.confidence = Math.round(confidence * confidenceFactor * 100) / 100;
  return block;
}

/** How many known fields a set of pairs fills: pages with a real title block score highest. */
export const mappedCount = (pairs: TitlePair[]): number =>
  new Set(pairs.map((p) => p.field).filter(Boolean)).size;

/** An unlabelled title box has at most this many rows ("RACK SHELF DETAIL / DEC 90 | C-1-7"). */
const MAX_TITLE_BOX_ROWS = 4;

/**
 * True when a grid's cells read like a title block rather than a data table: at least three
 * distinct known labels spread over at least two rows (a revision table has its labels in one
 * header row only), or a small box without a header row holding a drawing number and a date.
 */
export function looksLikeTitleBlock(cells: string[][]): boolean {
  return hasTitleLabels(cells) || looksLikeTitleBox(cells);
}

function looksLikeTitleBox(cells: string[][]): boolean {
  const rows = cells.filter((r) => r.some((c) => c.trim() !== ''));
  if (rows.length > MAX_TITLE_BOX_ROWS || detectHeaderRows(rows) > 0) return false;
  const texts = rows.flat().filter((c) => c.trim() !== '');
  return texts.some((c) => drawingNumberIn(c) !== null) && texts.some(isDateText);
}

function hasTitleLabels(cells: string[][]): boolean {
  const isLabel = (c: string): boolean =>
    fieldOf(c.split(':')[0]) !== null || LABEL_INDEX.some((l) => norm(c).startsWith(l.label + ' '));
  const labels = new Set<string>();
  let rows = 0;
  for (const row of cells) {
    const found = row.filter(isLabel);
    if (found.length > 0) rows++;
    found.forEach((c) => labels.add(norm(c)));
  }
  return labels.size >= 3 && rows >= 2;
}
