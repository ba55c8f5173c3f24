/**
 * Turns grid candidates into tables: rejects drawing geometry mistaken for a table, finds header
 * rows (one or two), and types each column from its body cells.
 */
import { BBox, ColumnType, PdfTable } from './pdf-types';
import { GridCandidate } from './ruled-tables';

/** Share of non-empty cells a grid needs ("text in most cells"). */
const MIN_FILL_RATIO = 0.5;
/**
 * Real cells hold a letter or digit read with normal confidence (the text layer is 1; OCR words
 * of real labels are ~0.9, geometry read as text far less). A table needs this many of them, and
 * they must be most of its filled cells: OCR noise in a drawing's geometry is no table.
 */
export const NORMAL_CONFIDENCE = 0.6;
const MIN_REAL_CELLS = 4;
const MIN_REAL_SHARE = 0.5;

const CURRENCY = /^(?:[$€£¥]\s?[+-]?\d[\d,]*(?:\.\d+)?|[+-]?\d[\d,]*(?:\.\d+)?\s?[$€£¥])$/;
const INTEGER = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)$/;
const DECIMAL = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?[.]\d+$|^[+-]?\d+,\d{1,2}$/;
const PERCENT = /^[+-]?\d+(?:[.,]\d+)?\s?%$/;
const BOOLEAN = /^(?:yes|no|true|false|y|n)$/i;
const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec';
const DATE = new RegExp(
  [
    String.raw`^\d{4}-\d{1,2}-\d{1,2}$`,
    String.raw`^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$`,
    String.raw`^\d{1,2}[ -](?:${MONTHS})[a-z]*\.?[ -]\d{2,4}$`,
    String.raw`^(?:${MONTHS})[a-z]*\.? \d{1,2},? \d{4}$`,
  ].join('|'),
  'i',
);

export function classifyCell(value: string): ColumnType {
  const v = value.trim();
  if (DATE.test(v)) return 'date';
  if (PERCENT.test(v)) return 'percentage';
  if (CURRENCY.test(v)) return 'currency';
  if (INTEGER.test(v)) return 'integer';
  if (DECIMAL.test(v)) return 'decimal';
  if (BOOLEAN.test(v)) return 'boolean';
  return 'text';
}

/** A column's type: the type all its non-empty body cells share (integers widen to decimal). */
export function columnType(values: string[]): ColumnType {
  const types = new Set(values.filter((v) => v.trim() !== '').map(classifyCell));
  if (types.size === 0) return 'text';
  if (types.size === 1) return [...types][0];
  if (types.size === 2 && types.has('integer') && types.has('decimal')) return 'decimal';
  return 'text';
}

function isHeaderLike(row: string[]): boolean {
  const filled = row.filter((c) => c.trim() !== '');
  return filled.length > 0 && filled.every((c) => classifyCell(c) === 'text' && /[A-Za-z]/.test(c));
}

/**
 * Number of header rows: row 0 when all its cells are labels and some column below it holds
 * typed (non-text) data or the grid has no typed column at all but row 0 is distinct (all caps or
 * labels ending with ':' are not required). A second row joins when it is label-only too and
 * row 0 has gaps that look like spanning group headers.
 */
export function detectHeaderRows(cells: string[][]): number {
  if (cells.length < 2 || !isHeaderLike(cells[0])) return 0;
  const body = (from: number): string[][] => cells.slice(from);
  const typedBelow = (from: number): boolean =>
    cells[0].some((_, c) => columnType(body(from).map((r) => r[c] ?? '')) !== 'text');
  const row0Gaps = cells[0].some((c) => c.trim() === '');
  if (cells.length >= 3 && row0Gaps && isHeaderLike(cells[1]) && typedBelow(2)) return 2;
  if (typedBelow(1)) return 1;
  // All-text tables: accept row 0 when it is upper case or shorter than the body cells.
  const upper = cells[0].every((c) => c === c.toUpperCase());
  const rest = body(1)
    .flat()
    .filter((c) => c);
  const avgBody = rest.reduce((n, c) => n + c.length, 0) / Math.max(1, rest.length);
  const avgHead =
    cells[0].filter((c) => c).reduce((n, c) => n + c.length, 0) /
    Math.max(1, cells[0].filter((c) => c).length);
  return upper && rest.some((c) => c !== c.toUpperCase()) ? 1 : avgHead < avgBody * 0.6 ? 1 : 0;
}

function mergeHeaders(headerRows: string[][], width: number): string[] {
  const carried = headerRows.map((row, r) => {
    if (r === headerRows.length - 1) return row;
    // A group label spans the empty cells to its right.
    let last = '';
    return row.map((c) => (c.trim() ? (last = c) : last));
  });
  return Array.from(
    { length: width },
    (_, c) =>
      carried
        .map((row) => row[c] ?? '')
        .filter((v, k, all) => v && all.indexOf(v) === k)
        .join(' ')
        .trim() || `Column ${c + 1}`,
  );
}

function dropEmpty(cells: string[][]): string[][] {
  const rows = cells.filter((r) => r.some((c) => c.trim() !== ''));
  const keep = (rows[0] ?? []).map((_, c) => rows.some((r) => (r[c] ?? '').trim() !== ''));
  return rows.map((r) => r.filter((_, c) => keep[c]));
}

const isRealCell = (text: string, confidence: number): boolean =>
  /[\p{L}\p{N}]/u.test(text) && confidence >= NORMAL_CONFIDENCE;

/** Validates a grid and builds the table, or returns null when it is not a table. */
export function buildTable(
  grid: GridCandidate,
  page: number,
  detection: PdfTable['detection'],
): PdfTable | null {
  const total = grid.cells.length * (grid.cells[0]?.length ?? 0);
  const filled = grid.cells.flat().filter((c) => c.trim() !== '').length;
  if (total === 0 || filled / total < MIN_FILL_RATIO) return null;
  const real = grid.cells.flatMap((row, r) =>
    row.filter((c, k) => isRealCell(c, grid.cellConfidence[r]?.[k] ?? 0)),
  ).length;
  if (real < MIN_REAL_CELLS || real < MIN_REAL_SHARE * filled) return null;
  const cells = dropEmpty(grid.cells);
  if (cells.length < 2 || (cells[0]?.length ?? 0) < 2) return null;
  const width = cells[0].length;
  const headerRows = detectHeaderRows(cells);
  const rows = cells.slice(headerRows);
  if (rows.length === 0) return null;
  const headers = mergeHeaders(cells.slice(0, headerRows), width);
  const fill = filled / total;
  const bbox = grid.bbox.map((v) => Math.round(v * 100) / 100) as BBox;
  return {
    headers,
    rows,
    page,
    confidence:
      Math.round((detection === 'ruled' ? 0.6 + 0.4 * fill : 0.4 + 0.4 * fill) * 100) / 100,
    bbox,
    num_rows: rows.length,
    num_columns: width,
    column_types: headers.map((_, c) => columnType(rows.map((r) => r[c] ?? ''))),
    header_rows: headerRows,
    detection,
  };
}
