/**
 * Reads a spreadsheet file into raw tables (one per sheet): xlsx through exceljs, CSV/TSV/TXT
 * through csv-parse. Cells become trimmed strings or numbers; nothing here knows about BOMs.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ExtractionError } from '../extraction-error';
import { CellValue, RawTable } from './bom-types';
import { checkUncompressedSize, maxUncompressedBytes } from './zip-limits';

/** Columns past this one are ignored (a stray cell in column XFD must not allocate 16k cells). */
export const MAX_COLUMNS = 256;
/** Sheets with more filled rows are refused: a BOM that large belongs in a job split upstream. */
export const MAX_ROWS = 100_000;

export type SpreadsheetKind = 'xlsx' | 'csv';

export interface ReadTables {
  tables: RawTable[];
  metadata: Record<string, unknown>;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(buffer: Buffer, magic: number[]): boolean {
  return buffer.length >= magic.length && magic.every((byte, i) => buffer[i] === byte);
}

export async function readTables(filePath: string, kind: SpreadsheetKind): Promise<ReadTables> {
  const buffer = await readFile(filePath);
  if (buffer.length === 0) throw new ExtractionError('CORRUPT_FILE', 'The file is empty');
  if (startsWith(buffer, OLE_MAGIC)) {
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      'This is an old binary Excel (.xls) or an encrypted workbook: save it as .xlsx (Excel Workbook) or CSV and upload again',
    );
  }
  return kind === 'xlsx' ? readXlsx(buffer) : readDelimited(buffer);
}

// ---------------------------------------------------------------- xlsx

function xlsxCell(value: ExcelJS.CellValue, warnings: Set<string>): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) {
      // Formula cells: the cached result is what Excel shows; without one we cannot evaluate.
      const result = (value as { result?: unknown }).result;
      if (result === undefined || result === null || typeof result === 'object') {
        warnings.add(
          'Formula cells without a cached result were read as empty (open and save the file in Excel to store results)',
        );
        return result instanceof Date ? result.toISOString().slice(0, 10) : null;
      }
      return xlsxCell(result as ExcelJS.CellValue, warnings);
    }
    if ('richText' in value)
      return xlsxCell(value.richText.map((part) => part.text).join(''), warnings);
    if ('text' in value) return xlsxCell(String((value as { text: unknown }).text), warnings);
    if ('error' in value) return null;
  }
  return String(value);
}

async function readXlsx(buffer: Buffer): Promise<ReadTables> {
  if (!startsWith(buffer, ZIP_MAGIC)) {
    throw new ExtractionError(
      'CORRUPT_FILE',
      'The .xlsx file is not a valid workbook (no ZIP container)',
    );
  }
  await checkUncompressedSize(buffer, maxUncompressedBytes());
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExtractionError('CORRUPT_FILE', `The .xlsx workbook could not be read: ${reason}`);
  }
  const tables: RawTable[] = [];
  workbook.worksheets.forEach((sheet, index) => {
    const warnings = new Set<string>();
    if (sheet.actualRowCount > MAX_ROWS) {
      throw new ExtractionError(
        'FILE_TOO_LARGE',
        `Sheet "${sheet.name}" has ${sheet.actualRowCount} filled rows; at most ${MAX_ROWS} are read`,
      );
    }
    const merges = (sheet.model as { merges?: string[] }).merges ?? [];
    if (merges.length > 0) {
      warnings.add(
        `Sheet "${sheet.name}" has ${merges.length} merged cell range(s): each cell of a range reads the range's value`,
      );
    }
    const rows: RawTable['rows'] = [];
    let clipped = false;
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: CellValue[] = [];
      const last = Math.min(row.cellCount, MAX_COLUMNS);
      if (row.cellCount > MAX_COLUMNS) clipped = true;
      for (let col = 1; col <= last; col++) cells.push(xlsxCell(row.getCell(col).value, warnings));
      if (cells.some((cell) => cell !== null)) rows.push({ rowNumber, cells });
    });
    if (clipped) warnings.add(`Sheet "${sheet.name}": columns after ${MAX_COLUMNS} were ignored`);
    tables.push({ name: sheet.name, index, rows, warnings: [...warnings] });
  });
  if (tables.length === 0)
    throw new ExtractionError('CORRUPT_FILE', 'The workbook has no worksheets');
  return { tables, metadata: { file_type: 'xlsx' } };
}

// ---------------------------------------------------------------- CSV / TSV / TXT

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];

function decodeText(buffer: Buffer): { text: string; encoding: string } {
  if (startsWith(buffer, UTF8_BOM))
    return { text: buffer.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  if (startsWith(buffer, UTF16LE_BOM))
    return { text: buffer.subarray(2).toString('utf16le'), encoding: 'utf-16le' };
  if (startsWith(buffer, UTF16BE_BOM)) {
    const swapped = Buffer.from(buffer.subarray(2));
    swapped.swap16();
    return { text: swapped.toString('utf16le'), encoding: 'utf-16be' };
  }
  if (startsWith(buffer, ZIP_MAGIC)) {
    throw new ExtractionError(
      'CORRUPT_FILE',
      'This looks like a ZIP/xlsx file: give it the .xlsx extension',
    );
  }
  const sample = buffer.subarray(0, 64 * 1024);
  if (sample.includes(0))
    throw new ExtractionError('CORRUPT_FILE', 'The file holds binary data, not delimited text');
  const utf8 = buffer.toString('utf8');
  const replaced = (utf8.slice(0, 64 * 1024).match(/\uFFFD/g) ?? []).length;
  if (replaced === 0) return { text: utf8, encoding: 'utf-8' };
  // Not UTF-8: Windows exports are often Latin-1 ("Stück"). Binary junk has control bytes too.
  const latin1 = buffer.toString('latin1');
  const controls = (latin1.slice(0, 64 * 1024).match(/[\x00-\x08\x0e-\x1f\x7f-\x9f]/g) ?? [])
    .length;
  if (controls > sample.length * 0.01) {
    throw new ExtractionError('CORRUPT_FILE', 'The file holds binary data, not delimited text');
  }
  return { text: latin1, encoding: 'latin1' };
}

/** Counts a delimiter outside double quotes on one line. */
function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count++;
  }
  return count;
}

/** Picks , ; tab or | : the one found on most of the first lines, consistently, wins. */
export function detectDelimiter(text: string): string {
  const lines = text
    .split(/\r\n|\n|\r/)
    .filter((line) => line.trim() !== '')
    .slice(0, 30);
  let best = ',';
  let bestScore = -1;
  for (const delimiter of [',', ';', '\t', '|']) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const withAny = counts.filter((count) => count > 0).length;
    if (withAny === 0) continue;
    // Lines that share the most common count (the header and data rows) outweigh title rows.
    const tally = new Map<number, number>();
    for (const count of counts) if (count > 0) tally.set(count, (tally.get(count) ?? 0) + 1);
    const modeLines = Math.max(...tally.values());
    const score = modeLines * 1000 + withAny;
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

function readDelimited(buffer: Buffer): ReadTables {
  const { text, encoding } = decodeText(buffer);
  if (text.trim() === '') throw new ExtractionError('CORRUPT_FILE', 'The file is empty');
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's overloads type rows only with `columns`
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
    }) as string[][];
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExtractionError('CORRUPT_FILE', `The delimited text could not be parsed: ${reason}`);
  }
  if (records.length > MAX_ROWS) {
    throw new ExtractionError(
      'FILE_TOO_LARGE',
      `The file has ${records.length} rows; at most ${MAX_ROWS} are read`,
    );
  }
  const rows: RawTable['rows'] = [];
  let clipped = false;
  records.forEach((record, i) => {
    if (record.length > MAX_COLUMNS) clipped = true;
    const cells = record
      .slice(0, MAX_COLUMNS)
      .map((cell) => (cell.trim() === '' ? null : cell.trim()));
    if (cells.some((cell) => cell !== null)) rows.push({ rowNumber: i + 1, cells });
  });
  const warnings = clipped ? [`Columns after ${MAX_COLUMNS} were ignored`] : [];
  return {
    tables: [{ name: 'csv', index: 0, rows, warnings }],
    metadata: { file_type: 'csv', delimiter: delimiter === '\t' ? 'tab' : delimiter, encoding },
  };
}
