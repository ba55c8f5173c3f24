/**
 * The core of every import: columns planned for the rows of one or more origins (jobs, or posted
 * BOM items), then — in one unit of work of the TableGateway (one transaction with the built-in
 * store) — fields created and the rows streamed through: coerced a batch at a time and inserted,
 * with progress after each batch. Only a batch of rows is in memory at once. skip_errors=false and
 * a bad row: the rows go on being checked (every error is counted), nothing more is written, and
 * the unit of work is rolled back at the end.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ImportCounts } from '../events/import-completed-event';
import { TABLE_GATEWAY, TableGateway, RecordToInsert, TableWriter } from '../tables/table-gateway';
import { TableForbiddenError } from '../tables/table-errors';
import { FieldType } from '../tables/field-types';
import {
  coerceRow,
  planColumns,
  RowError,
  rowIndicesOutOfRange,
  unknownSources,
} from './import-plan';
import { ImportRunLostError } from './import-errors';
import { FileImportCount } from './import-types';
import { JobRowStream } from './job-rows.source';
import { FieldTypeEvidence, inferFieldType } from './mapping/type-inference';
import { RowStream } from './rows/row-stream';

/** Records per multi-row INSERT. */
export const INSERT_BATCH_SIZE = 1000;
/** Progress is written at most this often (each write is a round trip, and renews a lease). */
export const PROGRESS_INTERVAL_MS = 250;
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

/** The rows of one origin (a job, or posted BOM data) and the indices chosen (null: all). */
export interface Selection {
  jobId: string | null;
  filename: string | null;
  recordType: string;
  rows: RowStream;
  indices: number[] | null;
}

export const selectionOf = (set: JobRowStream, indices: number[] | null): Selection => ({
  jobId: set.job.id,
  filename: set.job.filename,
  recordType: set.rows.record_type,
  rows: set.rows,
  indices,
});

/** What one pass over the rows tells before anything is written. */
export interface RowScan {
  /** Every column of every row, in order of first appearance. */
  sourceFields: string[];
  /** Rows per selection (all rows, not only the chosen ones). */
  totals: number[];
  /** The type a created field would get, from the chosen rows' values. */
  inferType: (source: string) => FieldType;
}

/** Reads every selection once: columns, row counts, and type evidence of the chosen rows. */
export async function scanRows(selections: Selection[], batchSize: number): Promise<RowScan> {
  const fields = new Set<string>();
  const evidence = new Map<string, FieldTypeEvidence>();
  const totals: number[] = [];
  for (const s of selections) {
    const chosen = s.indices ? new Set(s.indices) : null;
    let index = 0;
    for await (const batch of s.rows.batches(batchSize)) {
      for (const row of batch) {
        const take = !chosen || chosen.has(index);
        index += 1;
        for (const [key, value] of Object.entries(row)) {
          fields.add(key);
          if (!take) continue;
          let e = evidence.get(key);
          if (!e) evidence.set(key, (e = new FieldTypeEvidence()));
          e.add(value);
        }
      }
    }
    totals.push(index);
  }
  return {
    sourceFields: [...fields],
    totals,
    inferType: (source) => evidence.get(source)?.type(source) ?? inferFieldType(source, []),
  };
}

/** Thrown inside the unit of work to roll it back when skip_errors=false met a bad row. */
class NothingImported extends Error {}

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
    const size = options.batchSize ?? INSERT_BATCH_SIZE;
    const table = await this.tables.describe(ownerId, options.tableId);
    if (!table.writable) throw new TableForbiddenError(options.tableId);
    // Created fields need their types before the first insert: one pass over the rows first.
    // Without them, the mapping's source fields are checked as the rows stream by.
    const scan = options.createMissingFields ? await scanRows(selections, size) : null;
    const columns = planColumns(
      table.id,
      scan?.sourceFields ?? null,
      scan?.inferType ?? ((source) => inferFieldType(source, [])),
      table.fields,
      { fieldMapping: options.fieldMapping, createMissingFields: options.createMissingFields },
    );
    const failed = selections.map(() => 0);
    const errors: RowError[] = [];
    let errorCount = 0;
    const counts = { imported: selections.map(() => 0), skipped: selections.map(() => 0) };
    let createdFieldIds: string[] = [];
    try {
      await this.tables.write(ownerId, table.id, async (writer) => {
        const toCreate = columns.filter((c) => c.create !== null);
        const created = await writer.createFields(
          toCreate.map((c) => ({ name: c.create!, type: c.type })),
        );
        createdFieldIds = created.map((f) => f.id);
        const fieldOf = new Map(
          columns.filter((c) => c.fieldId).map((c) => [c.source, c.fieldId!]),
        );
        toCreate.forEach((c, i) => fieldOf.set(c.source, created[i].id));
        const fieldIds = columns.map((c) => fieldOf.get(c.source)!);
        // Without a scan, the mapping's sources are looked for as the rows pass.
        const unseen = new Set(scan ? [] : Object.keys(options.fieldMapping));
        let processed = 0;
        let reportedAt = Date.now();
        // One INSERT in flight while the next batch is read and coerced: the database and this
        // process work at the same time. Awaited before the next one is sent, and at the end.
        let inFlight: Promise<void> = Promise.resolve();
        const send = async (n: number, records: RecordToInsert[], rows: number) => {
          await inFlight;
          if (options.onProgress && Date.now() - reportedAt >= PROGRESS_INTERVAL_MS) {
            reportedAt = Date.now();
            if (!(await options.onProgress(processed))) {
              throw new ImportRunLostError('(lost lease)');
            }
          }
          const insert = async () => {
            if (records.length > 0) {
              const result = await writer.insertRecords(records, {
                allowDuplicates: options.allowDuplicates,
              });
              counts.imported[n] += result.inserted;
              counts.skipped[n] += result.duplicateRowIndices.length;
            }
            processed += rows;
          };
          inFlight = insert();
          inFlight.catch(() => undefined); // seen by the next await of inFlight
        };
        try {
          for (const [n, selection] of selections.entries()) {
            const { jobId, filename, recordType } = selection;
            const chosen = selection.indices ? new Set(selection.indices) : null;
            let pending: RecordToInsert[] = [];
            let handled = 0;
            let index = 0;
            for await (const batch of selection.rows.batches(size)) {
              for (const row of batch) {
                const rowIndex = index;
                index += 1;
                if (unseen.size > 0) for (const s of unseen) if (s in row) unseen.delete(s);
                if (chosen && !chosen.has(rowIndex)) continue;
                handled += 1;
                const coerced = coerceRow(row, rowIndex, columns, fieldIds);
                if ('errors' in coerced) {
                  failed[n] += 1;
                  errorCount += coerced.errors.length;
                  for (const e of coerced.errors) {
                    if (errors.length < MAX_LISTED_ERRORS) {
                      errors.push(tagErrors ? { job_id: jobId ?? undefined, ...e } : e);
                    }
                  }
                  continue;
                }
                if (!options.skipErrors && errorCount > 0) continue; // nothing more is written
                pending.push({
                  values: coerced.values,
                  provenance: {
                    source_job_id: jobId,
                    source_file: filename,
                    row_index: rowIndex,
                    record_type: recordType,
                  },
                });
              }
              if (handled >= size) {
                await send(n, pending, handled);
                pending = [];
                handled = 0;
              }
            }
            await send(n, pending, handled);
            await inFlight;
            const outOfRange = rowIndicesOutOfRange(
              selection.indices,
              index,
              tagErrors ? jobId : null,
            );
            if (outOfRange) throw outOfRange;
          }
        } finally {
          // A failure mid-stream: the INSERT in flight ends before the rollback is sent.
          await inFlight.catch(() => undefined);
        }
        if (unseen.size > 0) {
          // A mapped source no row has: one more pass names every source field in the error.
          const { sourceFields } = await scanRows(selections, size);
          throw unknownSources(Object.keys(options.fieldMapping), sourceFields)!;
        }
        if (errorCount > 0 && !options.skipErrors) throw new NothingImported();
        // Progress is throttled: a last check right before the commit, so that a run claimed again
        // elsewhere (its lease lost) never commits.
        if (options.onProgress && !(await options.onProgress(processed))) {
          throw new ImportRunLostError('(lost lease)');
        }
        await options.onCommit?.(writer, {
          table_id: table.id,
          records_imported: counts.imported.reduce((x, y) => x + y, 0),
          records_failed: failed.reduce((x, y) => x + y, 0),
          records_skipped: counts.skipped.reduce((x, y) => x + y, 0),
        });
      });
    } catch (error) {
      if (!(error instanceof NothingImported)) throw error;
      counts.imported.fill(0);
      counts.skipped.fill(0);
      createdFieldIds = [];
    }
    const failedRows = failed.reduce((a, b) => a + b, 0);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const success = options.skipErrors || failedRows === 0;
    this.logger.log(
      `import of ${selections.length} origin(s) → table ${table.id}: ${sum(counts.imported)} imported, ` +
        `${failedRows} failed, ${sum(counts.skipped)} already there (${Date.now() - started} ms)`,
    );
    return {
      outcome: {
        success,
        records_imported: sum(counts.imported),
        records_failed: failedRows,
        records_skipped: sum(counts.skipped),
        errors,
        errors_truncated: errorCount > errors.length,
        created_field_ids: createdFieldIds,
        table_id: table.id,
      },
      files: selections.map((s, i) => ({
        job_id: s.jobId ?? '',
        filename: s.filename,
        record_type: s.recordType,
        records_imported: counts.imported[i],
        records_failed: failed[i],
        records_skipped: counts.skipped[i],
      })),
    };
  }
}
