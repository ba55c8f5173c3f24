/**
 * The pure part of an import: which rows, which columns go to which field (existing, or created
 * with an inferred type), and each row's values coerced to its field's type, or its errors.
 */
import { FieldType } from '../tables/field-types';
import { TableField } from '../tables/table-gateway';
import { FieldNotFoundError } from '../tables/table-errors';
import { InvalidImportError } from './import-errors';
import { inferFieldType } from './mapping/type-inference';
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
  rowIndices: number[] | null;
}

/** The row indices to import: all, or the ones asked for (sorted, once each, in range). */
export function selectRows(total: number, rowIndices: number[] | null): number[] {
  if (rowIndices === null) return Array.from({ length: total }, (_, i) => i);
  const outOfRange = rowIndices.filter((i) => i < 0 || i >= total);
  if (outOfRange.length > 0) {
    throw new InvalidImportError(
      `row_indices out of range (the result has ${total} rows): ${outOfRange.slice(0, 20).join(', ')}`,
      { field: 'row_indices', out_of_range: outOfRange.slice(0, 100), total_records: total },
    );
  }
  return [...new Set(rowIndices)].sort((a, b) => a - b);
}

export function planColumns(
  tableId: string,
  sourceFields: string[],
  rows: SourceRow[],
  fields: TableField[],
  selection: ImportSelection,
): PlannedColumn[] {
  const byId = new Map(fields.map((f) => [f.id, f]));
  const unknownSources = Object.keys(selection.fieldMapping).filter(
    (s) => !sourceFields.includes(s),
  );
  if (unknownSources.length > 0) {
    throw new InvalidImportError(`Unknown source field(s): ${unknownSources.join(', ')}`, {
      field: 'field_mapping',
      unknown_source_fields: unknownSources,
      source_fields: sourceFields,
    });
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
  if (selection.createMissingFields) {
    const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
    const mappedTargets = new Set(columns.map((c) => c.fieldId));
    for (const source of sourceFields) {
      if (source in selection.fieldMapping) continue; // mapped, or left out on purpose (null)
      const existing = byName.get(source.toLowerCase());
      if (existing && !mappedTargets.has(existing.id)) {
        columns.push({ source, type: existing.type, fieldId: existing.id, create: null });
        mappedTargets.add(existing.id);
      } else if (!existing) {
        const type = inferFieldType(
          source,
          rows.map((r) => r[source] ?? null),
        );
        columns.push({ source, type, fieldId: null, create: source });
      }
    }
  }
  return columns;
}

/** Coerces each selected row; a value that does not fit its field is an error of that row. */
export function coerceRows(
  rows: SourceRow[],
  indices: number[],
  columns: PlannedColumn[],
): { rows: CoercedRow[]; errors: RowError[]; failedRows: number } {
  const out: CoercedRow[] = [];
  const errors: RowError[] = [];
  let failedRows = 0;
  for (const rowIndex of indices) {
    const row = rows[rowIndex];
    const values: Record<string, unknown> = {};
    let failed = false;
    for (const column of columns) {
      const coerced = coerceValue(row[column.source] ?? null, column.type);
      if (coerced.ok) {
        if (coerced.value !== null) values[column.source] = coerced.value;
      } else {
        failed = true;
        errors.push({ row_index: rowIndex, row, field: column.source, message: coerced.message });
      }
    }
    if (failed) failedRows += 1;
    else out.push({ rowIndex, values });
  }
  return { rows: out, errors, failedRows };
}
