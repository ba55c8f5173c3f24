/**
 * Finds the header row of a BOM table and maps its columns to roles. Title rows above the header
 * ("Bill of materials", project names, dates) are skipped because they match too few synonyms.
 */
import { BomColumnRole, CellValue, RawTable } from './bom-types';

/** Synonyms in normalised form (see normaliseHeader): English and German, common ERP/CAD exports. */
const SYNONYMS: Record<BomColumnRole, string[]> = {
  item_id: [
    'item',
    'item no',
    'item nr',
    'item number',
    'item id',
    'pos',
    'pos no',
    'pos nr',
    'position',
    'position no',
    'find no',
    'find number',
    'balloon',
    'line',
    'line no',
    'no',
    'nr',
    'number',
    'id',
  ],
  part_number: [
    'part no',
    'part nr',
    'part number',
    'part',
    'part id',
    'part code',
    'p n',
    'pn',
    'partnumber',
    'article',
    'article no',
    'article number',
    'artikel',
    'artikel nr',
    'artikelnummer',
    'teilenummer',
    'teile nr',
    'teil nr',
    'sachnummer',
    'sach nr',
    'ident',
    'ident nr',
    'identnummer',
    'component',
    'component no',
    'item code',
    'sku',
    'drawing no',
    'drawing number',
    'zeichnungsnummer',
    'zeichnungs nr',
    'material no',
    'material number',
    'materialnummer',
  ],
  description: [
    'description',
    'desc',
    'name',
    'part name',
    'part description',
    'item description',
    'title',
    'designation',
    'bezeichnung',
    'benennung',
    'beschreibung',
    'text',
    'kurztext',
  ],
  quantity: [
    'qty',
    'quantity',
    'qty per',
    'qty per assembly',
    'quantity per',
    'menge',
    'anzahl',
    'stk',
    'stück',
    'stueck',
    'st',
    'count',
    'amount',
    'pcs',
    'pieces',
    'ea',
  ],
  material: ['material', 'mat', 'matl', 'werkstoff', 'material spec', 'material specification'],
  revision: [
    'rev',
    'revision',
    'rev level',
    'version',
    'ver',
    'index',
    'änderungsindex',
    'aenderungsindex',
    'revisionsstand',
  ],
  level: [
    'level',
    'lvl',
    'bom level',
    'lev',
    'ebene',
    'stufe',
    'stücklistenebene',
    'indent',
    'depth',
    'hierarchy',
    'hierarchy level',
  ],
  parent: [
    'parent',
    'parent part',
    'parent no',
    'parent part no',
    'parent part number',
    'parent number',
    'parent item',
    'parent id',
    'assembly',
    'parent assembly',
    'baugruppe',
    'übergeordnet',
    'uebergeordnet',
    'übergeordnete baugruppe',
    'next assembly',
    'used in',
  ],
  unit: ['unit', 'uom', 'unit of measure', 'einheit', 'me', 'mengeneinheit'],
};

const LOOKUP = new Map<string, BomColumnRole>();
for (const [role, words] of Object.entries(SYNONYMS) as [BomColumnRole, string[]][]) {
  for (const word of words) LOOKUP.set(word, role);
}

/** Lowercase, punctuation to spaces: "Part No." -> "part no", "P/N" -> "p n", "Artikel-Nr." -> "artikel nr". */
export function normaliseHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s._\-:/#()[\]*'"]+/g, ' ')
    .trim();
}

/** The role of one header cell, or null. Exact synonym first, then "<synonym> <more words>". */
export function roleOfHeader(cell: CellValue): BomColumnRole | null {
  if (typeof cell !== 'string') return null;
  const raw = cell.trim();
  if (raw === '#') return 'item_id';
  const text = normaliseHeader(raw);
  if (text === '') return null;
  const exact = LOOKUP.get(text);
  if (exact) return exact;
  // "Qty per assembly (pcs)", "Part Number / Teilenummer": the first words decide.
  const words = text.split(' ');
  for (let n = Math.min(words.length - 1, 3); n >= 1; n--) {
    const prefix = words.slice(0, n).join(' ');
    const role = LOOKUP.get(prefix);
    if (role && prefix.length >= 2) return role;
  }
  return null;
}

export type ColumnMap = Partial<Record<BomColumnRole, number>>;

export interface HeaderMatch {
  /** Index into table.rows. */
  rowIndex: number;
  /** 1-based row number in the file. */
  rowNumber: number;
  columns: ColumnMap;
  /** Header texts as written, in column order (empty cells left out). */
  headers: string[];
  duplicates: string[];
}

/** Maps the cells of one row; a role claimed twice keeps its first column. */
export function mapColumns(cells: CellValue[]): { columns: ColumnMap; duplicates: string[] } {
  const columns: ColumnMap = {};
  const duplicates: string[] = [];
  cells.forEach((cell, index) => {
    const role = roleOfHeader(cell);
    if (!role) return;
    if (columns[role] === undefined) columns[role] = index;
    else duplicates.push(String(cell));
  });
  return { columns, duplicates };
}

/** A header must name a part number or a description, and at least two roles in all. */
export function isUsableHeader(columns: ColumnMap): boolean {
  const roles = Object.keys(columns).length;
  return roles >= 2 && (columns.part_number !== undefined || columns.description !== undefined);
}

export const HEADER_SCAN_ROWS = 50;

function toMatch(table: RawTable, rowIndex: number): HeaderMatch {
  const row = table.rows[rowIndex];
  const { columns, duplicates } = mapColumns(row.cells);
  const headers = row.cells
    .filter((cell) => cell !== null && String(cell).trim() !== '')
    .map((cell) => String(cell).trim());
  return { rowIndex, rowNumber: row.rowNumber, columns, headers, duplicates };
}

/** Scans the first rows for the one matching the most roles; null when none is usable. */
export function detectHeader(table: RawTable): HeaderMatch | null {
  let best: HeaderMatch | null = null;
  let bestScore = 0;
  const limit = Math.min(table.rows.length, HEADER_SCAN_ROWS);
  for (let i = 0; i < limit; i++) {
    const { columns } = mapColumns(table.rows[i].cells);
    if (!isUsableHeader(columns)) continue;
    const score = Object.keys(columns).length;
    if (score > bestScore) {
      best = toMatch(table, i);
      bestScore = score;
    }
  }
  return best;
}

/** The header at a given 1-based row number (the `header_row` option), usable or not. */
export function headerAtRow(table: RawTable, rowNumber: number): HeaderMatch | null {
  const rowIndex = table.rows.findIndex((row) => row.rowNumber === rowNumber);
  return rowIndex < 0 ? null : toMatch(table, rowIndex);
}
