/**
 * Bills of materials recognised among the extracted tables by their headers (item, part number,
 * description, quantity, material, revision). Parts lists continued over several tables/pages are
 * concatenated. Item ids like "1.2" give the hierarchy (level 1, parent "1").
 */
import { Bom, BomItem } from '../cad-result';
import { PdfTable } from './pdf-types';

type BomField = 'item_id' | 'part_number' | 'description' | 'quantity' | 'material' | 'revision';

const HEADER_PATTERNS: [BomField, RegExp][] = [
  ['item_id', /^(?:ITEM(?: NO\.?| #)?|POS(?:ITION|\.)?|FIND(?: NO\.?)?|NO\.?|#)$/i],
  ['part_number', /^(?:PART(?:\s*(?:NO\.?|NUMBER|#))?|P\/N|PN|ARTICLE(?: NO\.?)?|CODE)$/i],
  ['description', /^(?:DESCRIPTION|DESC\.?|NAME|PART NAME|TITLE)$/i],
  ['quantity', /^(?:QTY\.?|QUANTITY|Q'?TY|PCS|COUNT)$/i],
  ['material', /^(?:MATERIAL|MATL\.?|MAT'?L)$/i],
  ['revision', /^(?:REV\.?|REVISION)$/i],
];

function mapHeaders(headers: string[]): Map<BomField, number> {
  const map = new Map<BomField, number>();
  headers.forEach((h, col) => {
    const text = h.replace(/\s+/g, ' ').trim();
    const hit = HEADER_PATTERNS.find(([field, re]) => re.test(text) && !map.has(field));
    if (hit) map.set(hit[0], col);
  });
  return map;
}

export function isBomTable(table: PdfTable): boolean {
  const map = mapHeaders(table.headers);
  return map.has('quantity') && (map.has('part_number') || map.has('description'));
}

const snake = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

export function bomFromTables(tables: PdfTable[]): Bom | null {
  const boms = tables.filter(isBomTable);
  if (boms.length === 0) return null;
  const items: BomItem[] = [];
  const headers = boms[0].headers;
  for (const table of boms) {
    const map = mapHeaders(table.headers);
    const cell = (row: string[], field: BomField): string | null => {
      const col = map.get(field);
      const v = col === undefined ? '' : (row[col] ?? '').trim();
      return v === '' ? null : v;
    };
    for (const row of table.rows) {
      const itemId = cell(row, 'item_id') ?? String(items.length + 1);
      const qtyText = cell(row, 'quantity');
      const qty = qtyText === null ? NaN : Number(qtyText.replace(',', '.').replace(/[^\d.]/g, ''));
      const level = /^\d+(?:\.\d+)+$/.test(itemId) ? itemId.split('.').length - 1 : 0;
      const item: BomItem = {
        item_id: itemId,
        part_number: cell(row, 'part_number'),
        description: cell(row, 'description'),
        quantity: Number.isFinite(qty) ? qty : 1,
        material: cell(row, 'material'),
        revision: cell(row, 'revision'),
        parent_id: level > 0 ? itemId.split('.').slice(0, -1).join('.') : null,
        level,
      };
      const mappedCols = new Set(map.values());
      table.headers.forEach((h, col) => {
        const key = snake(h);
        if (!mappedCols.has(col) && key && !(key in item)) item[key] = row[col] ?? null;
      });
      items.push(item);
    }
  }
  const depth = Math.max(0, ...items.map((i) => i.level));
  return {
    items,
    headers,
    total_items: items.length,
    hierarchy_level: depth,
    is_flat: depth === 0,
  };
}
