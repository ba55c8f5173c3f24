/**
 * Title block: first from the attributes of a title-block insert (block named TITLE*, TB*,
 * *TITLEBLOCK*, … or carrying title tags such as DWG_NO, REV, SCALE), failing that from label/value
 * texts in the bottom-right region of the drawing border.
 */
import { CadTextBlock, CadTitleBlock, emptyTitleBlock } from '../cad-result';
import { fillFromLooseTexts } from '../title-block-fallback';
import { InsertRecord } from './dxf-scanner';

type Field = Exclude<keyof CadTitleBlock, 'custom_fields' | 'confidence'>;

/** Normalised tag/label (upper case, letters and digits only) → field. */
const TAGS: Record<string, Field> = {};
const add = (field: Field, names: string[]) => names.forEach((n) => (TAGS[n] = field));
add('drawing_number', [
  'DRAWINGNUMBER',
  'DRAWINGNO',
  'DWGNO',
  'DWGNUMBER',
  'DWGNR',
  'DRGNO',
  'DRAWINGNR',
  'DOCNO',
  'DOCUMENTNUMBER',
  'DOCUMENTNO',
  'ZEICHNUNGSNUMMER',
  'NUMBER',
  'DWG',
]);
add('title', ['TITLE', 'DRAWINGTITLE', 'DWGTITLE', 'NAME', 'DESIGNATION', 'BENENNUNG', 'TITEL']);
add('revision', ['REV', 'REVISION', 'REVNO', 'INDEX', 'VERSION']);
add('date', ['DATE', 'DRAWNDATE', 'DATUM', 'CREATED']);
add('author', [
  'DRAWNBY',
  'DRAWN',
  'AUTHOR',
  'DESIGNER',
  'DESIGNEDBY',
  'CREATEDBY',
  'DRAFTER',
  'ENGINEER',
]);
add('company', ['COMPANY', 'CLIENT', 'ORGANIZATION', 'ORGANISATION', 'FIRM', 'CUSTOMER']);
add('scale', ['SCALE', 'MASSSTAB']);
add('sheet', ['SHEET', 'SHEETNO', 'SHEETNUMBER', 'BLATT']);
add('material', ['MATERIAL', 'MAT', 'WERKSTOFF']);
add('finish', ['FINISH', 'SURFACEFINISH', 'SURFACE', 'TREATMENT', 'COATING']);

/** Tags that only a title block carries (PART_NUMBER / MATERIAL alone also fit a BOM balloon). */
const STRONG_FIELDS = new Set<Field>([
  'drawing_number',
  'revision',
  'scale',
  'sheet',
  'author',
  'date',
]);
// TITLE*, TB* (TB, TB_A3, TB-1 — not TBOLT), TBLOCK, *TITLE BLOCK*, CARTOUCHE, SCHRIFTFELD.
const TITLE_BLOCK_NAME = /^(TITLE|TB(?![A-Z])|TBLK|TBLOCK|CARTOUCHE|SCHRIFTFELD)|TITLE.?BLOCK/i;

const norm = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Whether an insert looks like a title block (by block name or by its attribute tags). */
export function isTitleBlockInsert(ins: InsertRecord): boolean {
  if (TITLE_BLOCK_NAME.test(ins.block)) return true;
  const strong = ins.attributes.filter((a) => STRONG_FIELDS.has(TAGS[norm(a.tag)])).length;
  return strong >= 2;
}

function fromInsert(ins: InsertRecord): CadTitleBlock {
  const byName = TITLE_BLOCK_NAME.test(ins.block);
  const tb = emptyTitleBlock();
  let mapped = 0;
  for (const { tag, value } of ins.attributes) {
    const field = TAGS[norm(tag)];
    if (field && tb[field] === null && value.trim() !== '') {
      tb[field] = value.trim();
      mapped++;
    } else if (!field) tb.custom_fields[tag] = value;
  }
  tb.confidence = Math.min(0.98, (byName ? 0.6 : 0.45) + 0.08 * mapped);
  return tb;
}

interface Box {
  min: [number, number];
  max: [number, number];
}

const LABELLED = /^\s*([A-Za-z][A-Za-z ./_-]{0,24}?)\s*[:=]\s*(.+?)\s*$/;

function regionOf(border: Box): Box {
  const w = border.max[0] - border.min[0];
  const h = border.max[1] - border.min[1];
  return {
    min: [border.min[0] + 0.45 * w, border.min[1]],
    max: [border.max[0], border.min[1] + 0.35 * h],
  };
}

function inside(p: [number, number, number] | null, b: Box): boolean {
  return !!p && p[0] >= b.min[0] && p[0] <= b.max[0] && p[1] >= b.min[1] && p[1] <= b.max[1];
}

/** Border = largest closed rectangle; failing that, the bounding box of the texts. */
function borderOf(rects: Box[], texts: CadTextBlock[]): Box | null {
  const area = (r: Box) => (r.max[0] - r.min[0]) * (r.max[1] - r.min[1]);
  const best = [...rects].sort((a, b) => area(b) - area(a))[0];
  if (best && area(best) > 0) return best;
  const pts = texts.map((t) => t.position).filter((p): p is [number, number, number] => !!p);
  if (pts.length < 2) return null;
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { min: [Math.min(...xs), Math.min(...ys)], max: [Math.max(...xs), Math.max(...ys)] };
}

function fromTexts(texts: CadTextBlock[], rects: Box[]): CadTitleBlock | null {
  const border = borderOf(
    rects,
    texts.filter((t) => t.kind !== 'ATTRIB'),
  );
  if (!border) return null;
  const region = regionOf(border);
  const candidates = texts.filter((t) => t.kind !== 'ATTRIB' && inside(t.position, region));
  const tb = emptyTitleBlock();
  let mapped = 0;
  const unlabelled: CadTextBlock[] = [];
  for (const t of candidates) {
    const m = LABELLED.exec(t.text);
    const field = m ? TAGS[norm(m[1])] : undefined;
    if (m && field && tb[field] === null) {
      tb[field] = m[2];
      mapped++;
    } else if (m && !field) {
      tb.custom_fields[m[1].trim()] = m[2];
    } else if (!m) unlabelled.push(t);
  }
  // Label text with its value in the nearest text below or to the right ("DWG NO" / "A-100").
  for (const t of [...unlabelled]) {
    const field = TAGS[norm(t.text)];
    if (!field || tb[field] !== null || !t.position) continue;
    const value = nearestValue(t, unlabelled);
    if (value) {
      tb[field] = value.text;
      unlabelled.splice(unlabelled.indexOf(value), 1);
      unlabelled.splice(unlabelled.indexOf(t), 1);
      mapped++;
    }
  }
  // Texts without labels: drawing-number-shaped, date-shaped, tallest = title (shared with PDF).
  mapped += fillFromLooseTexts(
    tb,
    unlabelled.filter((t) => !TAGS[norm(t.text)]),
  ).filled;
  if (mapped < 2) return null;
  tb.confidence = Math.min(0.75, 0.3 + 0.08 * mapped);
  return tb;
}

function nearestValue(label: CadTextBlock, pool: CadTextBlock[]): CadTextBlock | null {
  const [lx, ly] = label.position as [number, number, number];
  const h = label.height ?? 1;
  let best: CadTextBlock | null = null;
  let bestD = Infinity;
  for (const t of pool) {
    if (t === label || !t.position || TAGS[norm(t.text)]) continue;
    const dx = t.position[0] - lx;
    const dy = ly - t.position[1];
    const right = dx > 0 && Math.abs(dy) < h * 1.5;
    const below = dy > 0 && dy < h * 4 && Math.abs(dx) < h * 10;
    if (!right && !below) continue;
    const d = Math.hypot(dx, dy);
    if (d < bestD) {
      bestD = d;
      best = t;
    }
  }
  return best;
}

export function findTitleBlock(
  inserts: InsertRecord[],
  texts: CadTextBlock[],
  rects: Box[],
): CadTitleBlock | null {
  const tbInsert = inserts.find((i) => i.attributes.length && isTitleBlockInsert(i));
  if (tbInsert) return fromInsert(tbInsert);
  return fromTexts(texts, rects);
}
