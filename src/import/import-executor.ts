/**
 * The core of every import: columns planned over the rows of one or more origins (jobs, or posted
 * BOM items), values coerced, then — unless skip_errors=false met a bad row — fields created and
 * records inserted in batches inside one unit of work of the TableGateway (one transaction with
 * the built-in store), with progress after each batch.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ImportCounts } from '../events/import-completed-event';
import { TABLE_GATEWAY, TableGateway, RecordToInsert, TableWriter } from '../tables/table-gateway';
import { TableForbiddenError } from '../tables/table-errors';
import { coerceRows, CoercedRow, planColumns, RowError } from './import-plan';
import { ImportRunLostError } from './import-errors';
import { FileImportCount } from './import-types';
import { JobRows } from './job-rows.source';
import { SourceRow } from './rows/source-row';
import { sourceFieldsOf } from './source-fields';

/** Records per multi-row INSERT. */
export const INSERT_BATCH_SIZE = 1000;
/** Row errors listed in a response (the count is always exact). */
export const MAX_LISTED_ERRORS = 1000;

export interface ImportOptions {
  tableId: string;
  fieldMapping: Record<string, string | null>;
  createMissingFields: boolean;
  skipErrors: boolean;
  allowDuplicates: boolean;
  /** Records per INSERT (default INSERT_BATCH_SIZE). */
  batchSize?: number;
  /** After each batch: rows written so far; false stops the import (rolled back). */
  onProgress?: (processed: number) => Promise<boolean>;
  /** In the unit of work after the last batch: what commits with the records (import.completed). */
  onCommit?: (writer: TableWriter, counts: ImportCounts) => Promise<void>;
}

/** The rows of one origin (a job, or posted BOM data) and the indices chosen. */
export interface Selection {
  jobId: string | null;
  filename: string | null;
  recordType: string;
  rows: SourceRow[];
  indices: number[];
}

export const selectionOf = (set: JobRows, indices: number[]): Selection => ({
  jobId: set.job.id,
  filename: set.job.filename,
  recordType: set.record_type,
  rows: set.rows,
  indices,
});

export interface Outcome {
  success: boolean;
  records_imported: number;
  records_failed: number;
  records_skipped: number;
  errors: RowError[];
  errors_truncated: boolean;
  created_field_ids: string[];
  table_id: string;
}

@Injectable()
export class ImportExecutor {
  private readonly logger = new Logger(ImportExecutor.name);

  constructor(@Inject(TABLE_GATEWAY) private readonly tables: TableGateway) {}

  async execute(
    ownerId: string,
    selections: Selection[],
    options: ImportOptions,
    tagErrors: boolean,
  ): Promise<{ outcome: Outcome; files: FileImportCount[] }> {
    const started = Date.now();
    const table = await this.tables.describe(ownerId, options.tableId);
    if (!table.writable) throw new TableForbiddenError(options.tableId);
    const allRows = selections.flatMap((s) => s.rows);
    const selectedRows = selections.flatMap((s) => s.indices.map((i) => s.rows[i]));
    const columns = planColumns(table.id, sourceFieldsOf(allRows), selectedRows, table.fields, {
      fieldMapping: options.fieldMapping,
      createMissingFields: options.createMissingFields,
      rowIndices: null,
    });
    const coerced = selections.map((s) => {
      const result = coerceRows(s.rows, s.indices, columns);
      const errors = tagErrors
        ? result.errors.map((e) => ({ job_id: s.jobId ?? undefined, ...e }))
        : result.errors;
      return { ...result, errors, selection: s };
    });
    const failedRows = coerced.reduce((n, c) => n + c.failedRows, 0);
    const errors = coerced.flatMap((c) => c.errors);
    const files = (imported: number[], skipped: number[]): FileImportCount[] =>
      coerced.map((c, i) => ({
        job_id: c.selection.jobId ?? '',
        filename: c.selection.filename,
        record_type: c.selection.recordType,
        records_imported: imported[i] ?? 0,
        records_failed: c.failedRows,
        records_skipped: skipped[i] ?? 0,
      }));
    const base = {
      records_failed: failedRows,
      errors: errors.slice(0, MAX_LISTED_ERRORS),
      errors_truncated: errors.length > MAX_LISTED_ERRORS,
      table_id: table.id,
    };
    if (failedRows > 0 && !options.skipErrors) {
      return {
        outcome: {
          ...base,
          success: false,
          records_imported: 0,
          records_skipped: 0,
          created_field_ids: [],
        },
        files: files([], []),
      };
    }
    const written = await this.tables.write(ownerId, table.id, async (writer) => {
      const toCreate = columns.filter((c) => c.create !== null);
      const created = await writer.createFields(
        toCreate.map((c) => ({ name: c.create!, type: c.type })),
      );
      const fieldOf = new Map(columns.filter((c) => c.fieldId).map((c) => [c.source, c.fieldId!]));
      toCreate.forEach((c, i) => fieldOf.set(c.source, created[i].id));
      const imported: number[] = [];
      const skipped: number[] = [];
      let processed = 0;
      for (const { rows, selection } of coerced) {
        const { jobId, filename, recordType } = selection;
        const toRecord = (row: CoercedRow): RecordToInsert => ({
          values: Object.fromEntries(
            Object.entries(row.values).map(([source, value]) => [fieldOf.get(source)!, value]),
          ),
          provenance: {
            source_job_id: jobId,
            source_file: filename,
            row_index: row.rowIndex,
            record_type: recordType,
          },
        });
        let inserted = 0;
        let duplicates = 0;
        const size = options.batchSize ?? INSERT_BATCH_SIZE;
        for (let start = 0; start < rows.length; start += size) {
          const result = await writer.insertRecords(rows.slice(start, start + size).map(toRecord), {
            allowDuplicates: options.allowDuplicates,
          });
          inserted += result.inserted;
          duplicates += result.duplicateRowIndices.length;
          processed += Math.min(size, rows.length - start);
          if (options.onProgress && !(await options.onProgress(processed))) {
            throw new ImportRunLostError('(lost lease)');
          }
        }
        imported.push(inserted);
        skipped.push(duplicates);
      }
      await options.onCommit?.(writer, {
        table_id: table.id,
        records_imported: imported.reduce((a, b) => a + b, 0),
        records_failed: failedRows,
        records_skipped: skipped.reduce((a, b) => a + b, 0),
      });
      return { imported, skipped, createdFieldIds: created.map((f) => f.id) };
    });
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    this.logger.log(
      `import of ${selections.length} job(s) → table ${table.id}: ${sum(written.imported)} imported, ` +
        `${failedRows} failed, ${sum(written.skipped)} already there (${Date.now() - started} ms)`,
    );
    return {
      outcome: {
        ...base,
        success: true,
        records_imported: sum(written.imported),
        records_skipped: sum(written.skipped),
        created_field_ids: written.createdFieldIds,
      },
      files: files(written.imported, written.skipped),
    };
  }
}
