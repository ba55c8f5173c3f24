/**
 * The pure part of an import: which rows, which columns go to which field (existing, or created
 * with an inferred type), and each row's values coerced to its field's type, or its errors.
 */
import { FieldType } from '../tables/field-types';
import { TableField } from '../tables/table-gateway';
import { FieldNotFoundError } from '../tables/table-errors';
import { InvalidImportError } from './import-errors';
import { coerceValue } from './mapping/value-coercion';
import { SourceRow } from './rows/source-row';

/** A source column and where it goes: an existing field id, or a field to create. */
export interface PlannedColumn {
  source: string;
  type: FieldType;
  fieldId: string | null;
  create: string | null;
}

export interface RowError {
  /** Set in bulk imports: the file job the row came from. */
  job_id?: string;
  row_index: number;
  row: SourceRow;
  field: string;
  message: string;
}

export interface CoercedRow {
  rowIndex: number;
  /** Coerced values keyed by source column. */
  values: Record<string, unknown>;
}

export interface ImportSelection {
  fieldMapping: Record<string, string | null>;
  createMissingFields: boolean;
}

/** The error for row_indices beyond the rows, or null. */
export function rowIndicesOutOfRange(
  rowIndices: number[] | null,
  total: number,
  jobId?: string | null,
): InvalidImportError | null {
  const outOfRange = (rowIndices ?? []).filter((i) => i < 0 || i >= total);
  if (outOfRange.length === 0) return null;
  return new InvalidImportError(
    `row_indices out of range (the result${jobId ? ` of job ${jobId}` : ''} has ${total} rows): ${outOfRange.slice(0, 20).join(', ')}`,
    {
      field: 'row_indices',
      ...(jobId ? { job_id: jobId } : {}),
      out_of_range: outOfRange.slice(0, 100),
      total_records: total,
    },
  );
}

/** The row indices to import: all, or the ones asked for (sorted, once each, in range). */
export function selectRows(total: number, rowIndices: number[] | null): number[] {
  if (rowIndices === null) return Array.from({ length: total }, (_, i) => i);
  const outOfRange = rowIndicesOutOfRange(rowIndices, total);
  if (outOfRange) throw outOfRange;
  return [...new Set(rowIndices)].sort((a, b) => a - b);
}

/** The error for mapped source fields that no row has, or null. */
export function unknownSources(
  mapped: string[],
  sourceFields: string[],
): InvalidImportError | null {
  const known = new Set(sourceFields);
  const unknown = mapped.filter((s) => !known.has(s));
  if (unknown.length === 0) return null;
  return new InvalidImportError(`Unknown source field(s): ${unknown.join(', ')}`, {
    field: 'field_mapping',
    unknown_source_fields: unknown,
    source_fields: sourceFields,
  });
}

/**
 * Which column goes to which field. `sourceFields` null: not known yet (the rows are streamed),
 * the caller checks the mapping's sources as they pass. `inferType` gives a created field's type.
 */
export function planColumns(
  tableId: string,
  sourceFields: string[] | null,
  inferType: (source: string) => FieldType,
  fields: TableField[],
  selection: ImportSelection,
): PlannedColumn[] {
  const byId = new Map(fields.map((f) => [f.id, f]));
  if (sourceFields) {
    const unknown = unknownSources(Object.keys(selection.fieldMapping), sourceFields);
    if (unknown) throw unknown;
  }
  const targets = Object.values(selection.fieldMapping).filter(
    (t): t is string => typeof t === 'string' && t !== '',
  );
  const unknownTargets = targets.filter((t) => !byId.has(t));
  if (unknownTargets.length > 0)
    throw new FieldNotFoundError(tableId, [...new Set(unknownTargets)]);

  const columns: PlannedColumn[] = [];
  for (const [source, target] of Object.entries(selection.fieldMapping)) {
    if (!target) continue;
    const field = byId.get(target)!;
    columns.push({ source, type: field.type, fieldId: field.id, create: null });
  }
  if (selection.createMissingFields && sourceFields) {
    const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
    const mappedTargets = new Set(columns.map((c) => c.fieldId));
    for (const source of sourceFields) {
      if (source in selection.fieldMapping) continue; // mapped, or left out on purpose (null)
      const existing = byName.get(source.toLowerCase());
      if (existing && !mappedTargets.has(existing.id)) {
        columns.push({ source, type: existing.type, fieldId: existing.id, create: null });
        mappedTargets.add(existing.id);
      } else if (!existing) {
        columns.push({ source, type: inferType(source), fieldId: null, create: source });
      }
    }
  }
  return columns;
}

/**
 * Coerces one row; a value that does not fit its field is an error of that row. Values are keyed
 * by source column, or by `keys[i]` for column i (the import keys them by field id at once).
 */
export function coerceRow(
  row: SourceRow,
  rowIndex: number,
  columns: PlannedColumn[],
  keys?: string[],
): CoercedRow | { errors: RowError[] } {
  const values: Record<string, unknown> = {};
  let errors: RowError[] | null = null;
  for (let i = 0; i < columns.length; i += 1) {
    const column = columns[i];
    const coerced = coerceValue(row[column.source] ?? null, column.type);
    if (coerced.ok) {
      if (coerced.value !== null) values[keys ? keys[i] : column.source] = coerced.value;
    } else {
      (errors ??= []).push({
        row_index: rowIndex,
        row,
        field: column.source,
        message: coerced.message,
      });
    }
  }
  return errors ? { errors } : { rowIndex, values };
}

/** Coerces each selected row (coerceRow over `indices`). */
export function coerceRows(
  rows: SourceRow[],
  indices: number[],
  columns: PlannedColumn[],
): { rows: CoercedRow[]; errors: RowError[]; failedRows: number } {
  const out: CoercedRow[] = [];
  const errors: RowError[] = [];
  let failedRows = 0;
  for (const rowIndex of indices) {
    const coerced = coerceRow(rows[rowIndex], rowIndex, columns);
    if ('errors' in coerced) {
      failedRows += 1;
      errors.push(...coerced.errors);
    } else out.push(coerced);
  }
  return { rows: out, errors, failedRows };
}
