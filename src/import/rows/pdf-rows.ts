/** PDF record types: tables (each row zipped with its headers), dimensions, text blocks, … */
import {
  bomItemsReader,
  listReader,
  objectsAt,
  RecordTypeReader,
  SourceRow,
  titleBlockReader,
  toRowValue,
} from './source-row';

/** Header names as columns: blanks get "column N", repeats a " (2)" suffix. */
export function columnNames(headers: unknown[], width: number): string[] {
  const seen = new Map<string, number>();
  const names: string[] = [];
  for (let i = 0; i < width; i += 1) {
    const raw = typeof headers[i] === 'string' ? (headers[i] as string).trim() : '';
    const base = raw === '' ? `column ${i + 1}` : raw.replace(/\s+/g, ' ');
    const count = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), count);
    names.push(count === 1 ? base : `${base} (${count})`);
  }
  return names;
}

const tablesReader: RecordTypeReader = {
  name: 'tables',
  read(result) {
    const rows: SourceRow[] = [];
    for (const table of objectsAt(result.tables)) {
      const headers = Array.isArray(table.headers) ? (table.headers as unknown[]) : [];
      const body = Array.isArray(table.rows) ? (table.rows as unknown[]) : [];
      const width = Math.max(headers.length, ...body.map((r) => (Array.isArray(r) ? r.length : 0)));
      const names = columnNames(headers, width);
      for (const cells of body) {
        if (!Array.isArray(cells)) continue;
        const row: SourceRow = {};
        names.forEach((name, i) => {
          const value = toRowValue(cells[i]);
          row[name] = typeof value === 'string' && value.trim() === '' ? null : value;
        });
        if (!('page' in row)) row.page = toRowValue(table.page);
        rows.push(row);
      }
    }
    return rows;
  },
};

export const PDF_RECORD_TYPES: RecordTypeReader[] = [
  tablesReader,
  bomItemsReader('bom'),
  listReader('dimensions', 'dimensions'),
  listReader('text_blocks', 'text_blocks'),
  titleBlockReader,
];
