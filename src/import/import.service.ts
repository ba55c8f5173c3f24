/**
 * Imports rows of jobs into a table through the TableGateway: rows selected, columns planned,
 * values coerced, then fields created and records inserted in batches inside one unit of work
 * (one transaction with the built-in store). With skip_errors=false a single bad row imports
 * nothing. An Idempotency-Key replay answers the first response; a job row already in the table is
 * skipped unless allow_duplicates. A bulk import is the same over the rows of its files.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { TABLE_GATEWAY, TableGateway, RecordToInsert } from '../tables/table-gateway';
import { TableForbiddenError } from '../tables/table-errors';
import { ImportRequestsRepository } from './import-requests.repository';
import { coerceRows, CoercedRow, planColumns, RowError, selectRows } from './import-plan';
import { validateBomItems } from './bom-validation';
import { ImportRunLostError, InvalidImportError, NewOnlyUnsupportedError } from './import-errors';
import { ImportRunQueue } from './runs/import-run-queue';
import { ImportRunRow, ImportRunsRepository } from './runs/import-runs.repository';
import { flattenObject } from './rows/source-row';
import {
  BomImportCommand,
  BomImportResult,
  BulkImportCommand,
  BulkImportResult,
  FileImportCount,
  ImportAccepted,
  ImportCommand,
  ImportResult,
} from './import-types';
import { JobRows, JobRowsSource } from './job-rows.source';
import { SourceRow } from './rows/source-row';
import { sourceFieldsOf } from './source-fields';

/** Records per multi-row INSERT. */
export const INSERT_BATCH_SIZE = 1000;
/** Row errors listed in a response (the count is always exact). */
export const MAX_LISTED_ERRORS = 1000;

interface ImportOptions {
  tableId: string;
  fieldMapping: Record<string, string | null>;
  createMissingFields: boolean;
  skipErrors: boolean;
  allowDuplicates: boolean;
  /** Records per INSERT (default INSERT_BATCH_SIZE). */
  batchSize?: number;
  /** After each batch: rows written so far; false stops the import (rolled back). */
  onProgress?: (processed: number) => Promise<boolean>;
}

/** The rows of one origin (a job, or posted BOM data) and the indices chosen. */
interface Selection {
  jobId: string | null;
  filename: string | null;
  recordType: string;
  rows: SourceRow[];
  indices: number[];
}

const selectionOf = (set: JobRows, indices: number[]): Selection => ({
  jobId: set.job.id,
  filename: set.job.filename,
  recordType: set.record_type,
  rows: set.rows,
  indices,
});

interface Outcome {
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
export class ImportService {
  private readonly logger = new Logger(ImportService.name);

  constructor(
    @Inject(TABLE_GATEWAY) private readonly tables: TableGateway,
    private readonly source: JobRowsSource,
    private readonly requests: ImportRequestsRepository,
    private readonly runs: ImportRunsRepository,
    private readonly runQueue: ImportRunQueue,
    private readonly config: AppConfig,
  ) {}

  async importRows(
    ownerId: string,
    command: ImportCommand,
    idempotencyKey: string | null,
  ): Promise<ImportResult | ImportAccepted> {
    return this.once(ownerId, idempotencyKey, () => this.importJob(ownerId, command, null));
  }

  private async importJob(
    ownerId: string,
    command: ImportCommand,
    onProgress: ((processed: number) => Promise<boolean>) | null,
  ): Promise<ImportResult | ImportAccepted> {
    const set = await this.source.rows(ownerId, command.jobId, {
      recordType: command.recordType,
      allowPartial: command.allowPartial,
    });
    const indices = selectRows(set.rows.length, command.rowIndices);
    const selections = [selectionOf(set, indices)];
    if (!onProgress && indices.length > this.config.imports.asyncRows) {
      return this.accept(ownerId, 'job', command, selections);
    }
    const { outcome } = await this.run(
      ownerId,
      selections,
      { ...command, onProgress: onProgress ?? undefined },
      false,
    );
    return { ...outcome, job_id: set.job.id, record_type: set.record_type };
  }

  /** Runs a stored import on a worker; `onProgress` false (the run was lost) stops it. */
  async executeRun(
    run: ImportRunRow,
    onProgress: (processed: number) => Promise<boolean>,
  ): Promise<ImportResult | BulkImportResult> {
    const outcome =
      run.kind === 'bulk'
        ? await this.importBulkRows(
            run.owner_id,
            run.command as unknown as BulkImportCommand,
            onProgress,
          )
        : await this.importJob(run.owner_id, run.command as unknown as ImportCommand, onProgress);
    if ('import_id' in outcome) throw new ImportRunLostError(run.id); // cannot happen: never re-accepted
    return outcome;
  }

  /**
   * Too many rows for one request: the import is checked now (table, access, mapping) and stored;
   * a worker runs it. 202 with where to follow it.
   */
  private async accept(
    ownerId: string,
    kind: 'job' | 'bulk',
    command: ImportCommand | BulkImportCommand,
    selections: Selection[],
  ): Promise<ImportAccepted> {
    const table = await this.tables.describe(ownerId, command.tableId);
    if (!table.writable) throw new TableForbiddenError(command.tableId);
    planColumns(table.id, sourceFieldsOf(selections.flatMap((s) => s.rows)), [], table.fields, {
      fieldMapping: command.fieldMapping,
      createMissingFields: false,
      rowIndices: null,
    });
    const total = selections.reduce((n, s) => n + s.indices.length, 0);
    const run = await this.runs.create(ownerId, kind, command, total);
    await this.runQueue.dispatch({ runId: run.id, attempt: run.attempt });
    return {
      import_id: run.id,
      status: 'pending',
      total_rows: total,
      status_url: `/api/v1/extraction/imports/${run.id}`,
    };
  }

  async importBulk(
    ownerId: string,
    command: BulkImportCommand,
    idempotencyKey: string | null,
  ): Promise<BulkImportResult | ImportAccepted> {
    return this.once(ownerId, idempotencyKey, () => this.importBulkRows(ownerId, command, null));
  }

  private async importBulkRows(
    ownerId: string,
    command: BulkImportCommand,
    onProgress: ((processed: number) => Promise<boolean>) | null,
  ): Promise<BulkImportResult | ImportAccepted> {
    const { bulk, sets } = await this.source.bulkRows(ownerId, command.bulkJobId, {
      recordType: command.recordType,
      selection: command.fileSelection,
      includeSourceFile: command.includeSourceFile,
    });
    const selections = sets.map((set) => selectionOf(set, selectRows(set.rows.length, null)));
    const total = selections.reduce((n, s) => n + s.indices.length, 0);
    if (!onProgress && total > this.config.imports.asyncRows) {
      return this.accept(ownerId, 'bulk', command, selections);
    }
    const { outcome, files } = await this.run(
      ownerId,
      selections,
      { ...command, onProgress: onProgress ?? undefined },
      true,
    );
    return { ...outcome, files, bulk_job_id: bulk.id };
  }

  /**
   * BOM items posted directly (the original's route 25): `all`, `validated_only` (items without
   * part or positive quantity are reported, not imported) or `new_only` (items whose part number
   * the table already holds, or that repeat one earlier in the data, are skipped).
   */
  async importBom(
    ownerId: string,
    command: BomImportCommand,
    idempotencyKey: string | null,
  ): Promise<BomImportResult> {
    return this.once(ownerId, idempotencyKey, async () => {
      const rows = command.items.map((item) => flattenObject(item));
      let indices = rows.map((_, i) => i);
      let excluded: RowError[] = [];
      let alreadyThere = 0;
      if (command.importMode === 'validated_only') {
        const checked = validateBomItems(rows);
        indices = checked.valid;
        excluded = checked.errors;
      } else if (command.importMode === 'new_only') {
        const fieldId = command.fieldMapping.part_number;
        if (!fieldId) {
          throw new InvalidImportError('import_mode new_only needs part_number in field_mapping', {
            field: 'field_mapping',
          });
        }
        if (!this.tables.existingValues) throw new NewOnlyUnsupportedError();
        const partNumber = (i: number) => {
          const value = rows[i].part_number;
          return value === null || value === undefined || String(value).trim() === ''
            ? null
            : String(value).trim();
        };
        const candidates = [...new Set(indices.map(partNumber).filter((v) => v !== null))];
        const seen = await this.tables.existingValues(
          ownerId,
          command.tableId,
          fieldId,
          candidates,
        );
        indices = indices.filter((i) => {
          const value = partNumber(i);
          if (value === null) return true;
          if (seen.has(value)) {
            alreadyThere += 1;
            return false;
          }
          seen.add(value);
          return true;
        });
      }
      const { outcome } = await this.run(
        ownerId,
        [
          {
            jobId: null,
            filename: command.sourceFile,
            recordType: 'bom_items',
            rows,
            indices,
          },
        ],
        { ...command, allowDuplicates: false },
        false,
      );
      const errors = [...excluded, ...outcome.errors].sort((a, b) => a.row_index - b.row_index);
      return {
        ...outcome,
        records_failed: outcome.records_failed + excluded.length,
        records_skipped: outcome.records_skipped + alreadyThere,
        errors: errors.slice(0, MAX_LISTED_ERRORS),
        errors_truncated: outcome.errors_truncated || errors.length > MAX_LISTED_ERRORS,
        import_mode: command.importMode,
      };
    });
  }

  private async once<T extends object>(
    ownerId: string,
    key: string | null,
    work: () => Promise<T>,
  ): Promise<T> {
    if (key) {
      const first = await this.requests.find<T>(ownerId, key);
      if (first) return first;
    }
    const result = await work();
    return key ? this.requests.remember(ownerId, key, result) : result;
  }

  private async run(
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
