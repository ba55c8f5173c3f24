/**
 * BOM extractor: reads a bill of materials from xlsx (exceljs) or CSV/TSV/TXT (csv-parse), finds
 * the header row, builds the hierarchy and optionally flattens or aggregates it.
 */
import { extname } from 'node:path';
import { ExtractionError } from '../extraction-error';
import { Extractor, ExtractorInput, throwIfAborted } from '../extractor';
import { rowsToItems } from './bom-rows';
import { parseBomOptions } from './bom-options';
import { assessBom } from './bom-plausibility';
import { buildBom, flattenBom } from './bom-tree';
import { BomExtractionResult, BomOptions, BomSheetInfo, RawTable } from './bom-types';
import { detectHeader, HeaderMatch, headerAtRow } from './header-detection';
import { readTables, SpreadsheetKind } from './table-reader';

export { buildBom, flattenBom } from './bom-tree';
export type { BomExtractionResult } from './bom-types';

const KINDS: Record<string, SpreadsheetKind> = {
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
};

function kindOf(filename: string): SpreadsheetKind {
  const extension = extname(filename).toLowerCase();
  if (extension === '.xls') {
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      'Old binary Excel files (.xls) are not supported: save the file as .xlsx (Excel Workbook) or CSV and upload again',
    );
  }
  const kind = KINDS[extension];
  if (!kind) {
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      `BOM files must be .xlsx, .csv, .tsv or .txt (got "${extension || 'no extension'}")`,
    );
  }
  return kind;
}

function pickTable(
  tables: RawTable[],
  options: BomOptions,
): { table: RawTable; header: HeaderMatch | null; headers: Map<RawTable, HeaderMatch | null> } {
  const headers = new Map<RawTable, HeaderMatch | null>(
    tables.map((table) => [
      table,
      options.header_row !== null ? headerAtRow(table, options.header_row) : detectHeader(table),
    ]),
  );
  if (options.sheet !== null) {
    const wanted = options.sheet;
    const table =
      typeof wanted === 'number'
        ? tables[wanted]
        : (tables.find((t) => t.name === wanted) ??
          tables.find((t) => t.name.toLowerCase() === wanted.toLowerCase()));
    if (!table) {
      const names = tables.map((t, i) => `${i}: "${t.name}"`).join(', ');
      throw new ExtractionError(
        'INVALID_OPTIONS',
        `Sheet ${JSON.stringify(wanted)} not found; the workbook has ${names}`,
      );
    }
    return { table, header: headers.get(table) ?? null, headers };
  }
  const table = tables.find((t) => headers.get(t)) ?? tables[0];
  return { table, header: headers.get(table) ?? null, headers };
}

async function extract(input: ExtractorInput): Promise<BomExtractionResult> {
  const { signal, onProgress } = input;
  const kind = kindOf(input.filename);
  const options = parseBomOptions(input.options);
  throwIfAborted(signal);
  onProgress({ progress: 5, message: `reading ${kind}` });

  const { tables, metadata } = await readTables(input.filePath, kind);
  throwIfAborted(signal);
  onProgress({ progress: 40, message: 'finding the header row' });

  const { table, header, headers } = pickTable(tables, options);
  const sheets: BomSheetInfo[] = tables.map((t) => ({
    name: t.name,
    index: t.index,
    row_count: t.rows.length,
    header_row: headers.get(t)?.rowNumber ?? null,
    selected: t === table,
  }));
  const warnings = [...table.warnings];
  if (!header) {
    if (options.header_row !== null) {
      throw new ExtractionError(
        'INVALID_OPTIONS',
        `Row ${options.header_row} of "${table.name}" is empty or does not exist`,
      );
    }
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      `No BOM header row found in the first rows of "${table.name}": expected columns such as Part No, Description, Qty, Level`,
    );
  }
  if (Object.keys(header.columns).length === 0) {
    warnings.push(
      `Row ${header.rowNumber} (header_row) names no known column; nothing could be mapped`,
    );
  }
  if (header.duplicates.length > 0) {
    warnings.push(
      `Columns ignored because their role was already taken: ${header.duplicates.join(', ')}`,
    );
  }

  const rows = rowsToItems(table, header);
  // Only a table with rows can be judged; an empty one fails below with its own error.
  const plausibility = rows.items.length > 0 ? assessBom(table, header) : null;
  warnings.push(...(plausibility?.warnings ?? []), ...rows.warnings);
  throwIfAborted(signal);
  onProgress({ progress: 80, message: `${rows.items.length} items` });

  let bom = buildBom(rows.items, header.headers);
  if (options.flatten || options.aggregate) {
    bom = flattenBom(bom, {
      include_path: options.include_path,
      include_inducted: options.include_inducted,
      include_level_prefix: options.include_level_prefix,
      include_parent_reference: options.include_parent_reference,
      aggregate: options.aggregate,
    });
    const revisionConflicts = bom.items.filter((item) => Array.isArray(item.revisions));
    if (revisionConflicts.length > 0) {
      warnings.push(
        `Aggregated part numbers with differing revisions: ${revisionConflicts.map((item) => item.part_number).join(', ')}`,
      );
    }
  }
  const errors =
    rows.items.length === 0 ? [`No BOM rows below the header in row ${header.rowNumber}`] : [];
  onProgress({ progress: 100 });

  const columnMapping: Record<string, string | null> = {};
  const headerCells = table.rows[header.rowIndex].cells;
  for (const [role, index] of Object.entries(header.columns)) {
    columnMapping[role] = headerCells[index] === null ? null : String(headerCells[index]);
  }
  return {
    source_file: input.filename,
    source_type: 'bom',
    success: errors.length === 0,
    metadata: {
      ...metadata,
      sheet: table.name,
      header_row: header.rowNumber,
      column_mapping: columnMapping,
      hierarchy_source: rows.hierarchySource,
      flattened: options.flatten || options.aggregate,
      aggregated: options.aggregate,
      bom_confidence: plausibility?.confidence ?? null,
    },
    errors,
    warnings,
    bom,
    sheets,
  };
}

export const bomExtractor: Extractor<BomExtractionResult> = { format: 'bom', extract };
