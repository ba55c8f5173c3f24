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
import {
  ImportExecutor,
  INSERT_BATCH_SIZE,
  scanRows,
  Selection,
  selectionOf,
} from './import-executor';
import { planColumns, rowIndicesOutOfRange } from './import-plan';
import { InvalidImportError } from './import-errors';
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
    const set = await this.source.stream(ownerId, command.jobId, {
      recordType: command.recordType,
      allowPartial: command.allowPartial,
    });
    const indices = command.rowIndices ? [...new Set(command.rowIndices)] : null;
    const selections = [selectionOf(set, indices)];
    const rows = indices?.length ?? set.rows.maxRows;
    if (!onProgress && rows > this.config.imports.asyncRows) {
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
    return { ...outcome, job_id: set.job.id, record_type: set.rows.record_type };
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
   * Too many rows for one request: the import is checked now (table, access, mapping, row
   * indices: one streamed pass over the rows) and stored; a worker runs it. 202 with where to
   * follow it.
   */
  private async accept(
    ownerId: string,
    kind: 'job' | 'bulk',
    command: ImportCommand | BulkImportCommand,
    selections: Selection[],
  ): Promise<ImportAccepted> {
    const table = await this.tables.describe(ownerId, command.tableId);
    if (!table.writable) throw new TableForbiddenError(command.tableId);
    const scan = await scanRows(selections, INSERT_BATCH_SIZE);
    planColumns(table.id, scan.sourceFields, scan.inferType, table.fields, {
      fieldMapping: command.fieldMapping,
      createMissingFields: false,
    });
    selections.forEach((s, i) => {
      const outOfRange = rowIndicesOutOfRange(
        s.indices,
        scan.totals[i],
        kind === 'bulk' ? s.jobId : null,
      );
      if (outOfRange) throw outOfRange;
    });
    const total = selections.reduce((n, s, i) => n + (s.indices?.length ?? scan.totals[i]), 0);
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
    const { bulk, streams } = await this.source.bulkStreams(ownerId, command.bulkJobId, {
      recordType: command.recordType,
      selection: command.fileSelection,
      includeSourceFile: command.includeSourceFile,
    });
    const rowIndices = command.rowIndices ?? {};
    const imported = new Set(streams.map((s) => s.job.id));
    const strangers = Object.keys(rowIndices).filter((id) => !imported.has(id));
    if (strangers.length > 0) {
      throw new InvalidImportError(
        `row_indices names files this import does not take (not of bulk ${bulk.id}, not completed, or outside file_selection)`,
        { field: 'row_indices', job_ids: strangers },
      );
    }
    const selections = streams.map((set) =>
      selectionOf(set, rowIndices[set.job.id] ? [...new Set(rowIndices[set.job.id])] : null),
    );
    const total = selections.reduce((n, s) => n + (s.indices?.length ?? s.rows.maxRows), 0);
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
