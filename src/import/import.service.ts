/**
 * Imports rows of jobs into a table (ImportExecutor does the writing): a job's rows (all, or
 * row_indices), or a bulk's completed files. With skip_errors=false a single bad row imports
 * nothing. An Idempotency-Key replay answers the first response; a job row already in the table is
 * skipped unless allow_duplicates. Above IMPORT_ASYNC_ROWS rows the import is checked, stored as
 * an import run and answered 202; a worker runs it (executeRun).
 */
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { importCompleted } from '../events/import-completed-event';
import { TABLE_GATEWAY, TableGateway } from '../tables/table-gateway';
import { TableForbiddenError } from '../tables/table-errors';
import { ImportExecutor, Selection, selectionOf } from './import-executor';
import { planColumns, selectRows } from './import-plan';
import { ImportRequestsRepository } from './import-requests.repository';
import {
  BulkImportCommand,
  BulkImportResult,
  ImportAccepted,
  ImportCommand,
  ImportResult,
} from './import-types';
import { JobRowsSource } from './job-rows.source';
import { ImportRunQueue } from './runs/import-run-queue';
import { ImportRunRow, ImportRunsRepository } from './runs/import-runs.repository';
import { sourceFieldsOf } from './source-fields';

@Injectable()
export class ImportService {
  constructor(
    @Inject(TABLE_GATEWAY) private readonly tables: TableGateway,
    private readonly executor: ImportExecutor,
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
    return this.requests.once(ownerId, idempotencyKey, () =>
      this.importJob(ownerId, command, null),
    );
  }

  /** `runId`: the import run executed on a worker (its id goes into import.completed). */
  private async importJob(
    ownerId: string,
    command: ImportCommand,
    onProgress: ((processed: number) => Promise<boolean>) | null,
    runId: string | null = null,
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
    const { outcome } = await this.executor.execute(
      ownerId,
      selections,
      {
        ...command,
        onProgress: onProgress ?? undefined,
        onCommit: importCompleted({ ownerId, importId: runId, jobId: set.job.id }),
      },
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
            run.id,
          )
        : await this.importJob(
            run.owner_id,
            run.command as unknown as ImportCommand,
            onProgress,
            run.id,
          );
    // With onProgress an import is never accepted again; this only keeps the types honest.
    if ('import_id' in outcome) throw new Error(`import run ${run.id} was accepted again`);
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
    return this.requests.once(ownerId, idempotencyKey, () =>
      this.importBulkRows(ownerId, command, null),
    );
  }

  private async importBulkRows(
    ownerId: string,
    command: BulkImportCommand,
    onProgress: ((processed: number) => Promise<boolean>) | null,
    runId: string | null = null,
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
    const { outcome, files } = await this.executor.execute(
      ownerId,
      selections,
      {
        ...command,
        onProgress: onProgress ?? undefined,
        onCommit: importCompleted({ ownerId, importId: runId, bulkJobId: bulk.id }),
      },
      true,
    );
    return { ...outcome, files, bulk_job_id: bulk.id };
  }
}
