/**
 * Imports a job's rows into a table through the TableGateway: rows selected, columns planned,
 * values coerced, then fields created and records inserted in batches inside one unit of work
 * (one transaction with the built-in store). With skip_errors=false a single bad row imports
 * nothing. An Idempotency-Key replay answers the first response; a job row already in the table is
 * skipped unless allow_duplicates.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { TABLE_GATEWAY, TableGateway, RecordToInsert } from '../tables/table-gateway';
import { TableForbiddenError } from '../tables/table-errors';
import { ImportRequestsRepository } from './import-requests.repository';
import { coerceRows, planColumns, selectRows } from './import-plan';
import { ImportCommand, ImportResult } from './import-types';
import { JobRowsSource } from './job-rows.source';
import { sourceFieldsOf } from './source-fields';

/** Records per multi-row INSERT. */
export const INSERT_BATCH_SIZE = 1000;
/** Row errors listed in a response (the count is always exact). */
export const MAX_LISTED_ERRORS = 1000;

@Injectable()
export class ImportService {
  private readonly logger = new Logger(ImportService.name);

  constructor(
    @Inject(TABLE_GATEWAY) private readonly tables: TableGateway,
    private readonly source: JobRowsSource,
    private readonly requests: ImportRequestsRepository,
  ) {}

  async importRows(
    ownerId: string,
    command: ImportCommand,
    idempotencyKey: string | null,
  ): Promise<ImportResult> {
    if (idempotencyKey) {
      const first = await this.requests.find<ImportResult>(ownerId, idempotencyKey);
      if (first) return first;
    }
    const result = await this.run(ownerId, command);
    return idempotencyKey ? this.requests.remember(ownerId, idempotencyKey, result) : result;
  }

  private async run(ownerId: string, command: ImportCommand): Promise<ImportResult> {
    const started = Date.now();
    const { job, rows, record_type } = await this.source.rows(ownerId, command.jobId, {
      recordType: command.recordType,
      allowPartial: command.allowPartial,
    });
    const table = await this.tables.describe(ownerId, command.tableId);
    if (!table.writable) throw new TableForbiddenError(command.tableId);
    const indices = selectRows(rows.length, command.rowIndices);
    const selected = indices.map((i) => rows[i]);
    const columns = planColumns(table.id, sourceFieldsOf(rows), selected, table.fields, {
      fieldMapping: command.fieldMapping,
      createMissingFields: command.createMissingFields,
      rowIndices: command.rowIndices,
    });
    const coerced = coerceRows(rows, indices, columns);
    const base = {
      records_failed: coerced.failedRows,
      errors: coerced.errors.slice(0, MAX_LISTED_ERRORS),
      errors_truncated: coerced.errors.length > MAX_LISTED_ERRORS,
      job_id: job.id,
      table_id: table.id,
      record_type,
    };
    if (coerced.failedRows > 0 && !command.skipErrors) {
      return {
        ...base,
        success: false,
        records_imported: 0,
        records_skipped: 0,
        created_field_ids: [],
      };
    }
    const outcome = await this.tables.write(ownerId, table.id, async (writer) => {
      const toCreate = columns.filter((c) => c.create !== null);
      const created = await writer.createFields(
        toCreate.map((c) => ({ name: c.create!, type: c.type })),
      );
      const fieldOf = new Map(columns.filter((c) => c.fieldId).map((c) => [c.source, c.fieldId!]));
      toCreate.forEach((c, i) => fieldOf.set(c.source, created[i].id));
      let inserted = 0;
      let skipped = 0;
      for (let start = 0; start < coerced.rows.length; start += INSERT_BATCH_SIZE) {
        const batch: RecordToInsert[] = coerced.rows
          .slice(start, start + INSERT_BATCH_SIZE)
          .map((row) => ({
            values: Object.fromEntries(
              Object.entries(row.values).map(([source, value]) => [fieldOf.get(source)!, value]),
            ),
            provenance: {
              source_job_id: job.id,
              source_file: job.filename,
              row_index: row.rowIndex,
              record_type,
            },
          }));
        const result = await writer.insertRecords(batch, {
          allowDuplicates: command.allowDuplicates,
        });
        inserted += result.inserted;
        skipped += result.duplicateRowIndices.length;
      }
      return { inserted, skipped, createdFieldIds: created.map((f) => f.id) };
    });
    this.logger.log(
      `import job ${job.id} → table ${table.id}: ${outcome.inserted} imported, ` +
        `${coerced.failedRows} failed, ${outcome.skipped} already there (${Date.now() - started} ms)`,
    );
    return {
      ...base,
      success: true,
      records_imported: outcome.inserted,
      records_skipped: outcome.skipped,
      created_field_ids: outcome.createdFieldIds,
    };
  }
}
