/**
 * Bill of materials from block attributes: every insert (title blocks excepted) whose attributes carry
 * a part-number-like tag, or a quantity-like tag next to an item/description tag, is one BOM line.
 */
import { Bom, BomItem } from '../cad-result';
import { InsertRecord } from './dxf-scanner';
import { isTitleBlockInsert } from './dxf-title-block';

type Column = 'item_id' | 'part_number' | 'description' | 'quantity' | 'material' | 'revision';

const COLUMNS: Record<string, Column> = {};
const add = (col: Column, names: string[]) => names.forEach((n) => (COLUMNS[n] = col));
add('part_number', [
  'PARTNUMBER',
  'PARTNO',
  'PARTNUM',
  'PN',
  'PNO',
  'ARTICLE',
  'ARTICLENO',
  'CODE',
  'SKU',
  'ORDERNO',
]);
add('item_id', [
  'ITEM',
  'ITEMNO',
  'ITEMNUMBER',
  'POS',
  'POSITION',
  'POSNO',
  'BALLOON',
  'FIND',
  'FINDNO',
]);
add('description', ['DESCRIPTION', 'DESC', 'NAME', 'TITLE', 'DESIGNATION', 'PARTNAME']);
add('quantity', ['QTY', 'QUANTITY', 'QTE', 'COUNT', 'AMOUNT', 'NUM', 'MENGE']);
add('material', ['MATERIAL', 'MAT', 'MATL']);
add('revision', ['REV', 'REVISION']);

const norm = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

function columnsOf(ins: InsertRecord): Map<Column, string> {
  const cols = new Map<Column, string>();
  for (const a of ins.attributes) {
    const col = COLUMNS[norm(a.tag)];
    if (col && !cols.has(col)) cols.set(col, a.value.trim());
  }
  return cols;
}

function isBomInsert(ins: InsertRecord, cols: Map<Column, string>): boolean {
  if (isTitleBlockInsert(ins)) return false;
  if (cols.has('part_number')) return true;
  return cols.has('quantity') && (cols.has('item_id') || cols.has('description'));
}

function quantity(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw.replace(',', '.').replace(/[^\d.+-]/g, ''));
  return Number.isFinite(n) && raw.match(/\d/) ? n : 1;
}

export function bomFromInserts(inserts: InsertRecord[], maxItems = 20_000): Bom | null {
  const items: BomItem[] = [];
  const headers: string[] = [];
  const seen = new Set<string>();
  for (const ins of inserts) {
    if (items.length >= maxItems) break;
    const cols = columnsOf(ins);
    if (!isBomInsert(ins, cols)) continue;
    const item: BomItem = {
      item_id: cols.get('item_id') || String(items.length + 1),
      part_number: cols.get('part_number') || null,
      description: cols.get('description') || null,
      quantity: quantity(cols.get('quantity')),
      material: cols.get('material') || null,
      revision: cols.get('revision') || null,
      parent_id: null,
      level: 1,
      block: ins.block,
    };
    for (const a of ins.attributes) {
      if (!seen.has(a.tag)) {
        seen.add(a.tag);
        headers.push(a.tag);
      }
      const key = a.tag.toLowerCase();
      if (!COLUMNS[norm(a.tag)] && !(key in item)) item[key] = a.value;
    }
    items.push(item);
  }
  if (!items.length) return null;
  return { items, headers, total_items: items.length, hierarchy_level: 1, is_flat: true };
}
