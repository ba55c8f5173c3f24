/**
 * What the frontend shows before an import: the source fields of the chosen record type, the
 * table's fields, a suggested mapping, the first rows (with their row_index) and the counts.
 */
import { Inject, Injectable } from '@nestjs/common';
import { TABLE_GATEWAY, TableGateway } from '../tables/table-gateway';
import { suggestMapping } from './mapping/field-matching';
import { inferFieldType } from './mapping/type-inference';
import { BulkPreviewResult, PreviewResult } from './import-types';
import { JobRowsSource } from './job-rows.source';
import { sourceFieldsOf } from './source-fields';

export const SAMPLE_ROWS = 20;
/** Rows whose values the suggestions and inferred types look at. */
const TYPE_SAMPLE_ROWS = 200;

@Injectable()
export class ImportPreviewService {
  constructor(
    @Inject(TABLE_GATEWAY) private readonly tables: TableGateway,
    private readonly source: JobRowsSource,
  ) {}

  async preview(
    ownerId: string,
    jobId: string,
    options: { tableId?: string | null; recordType?: string | null; allowPartial?: boolean },
  ): Promise<PreviewResult> {
    const { job, rows, record_type, record_types } = await this.source.rows(ownerId, jobId, {
      recordType: options.recordType,
      allowPartial: options.allowPartial,
    });
    const table = options.tableId ? await this.tables.describe(ownerId, options.tableId) : null;
    const sourceFields = sourceFieldsOf(rows);
    const sample = rows.slice(0, TYPE_SAMPLE_ROWS);
    return {
      job_id: job.id,
      format: job.format,
      table_id: table?.id ?? null,
      record_type,
      record_types,
      source_fields: sourceFields,
      source_field_types: Object.fromEntries(
        sourceFields.map((f) => [
          f,
          inferFieldType(
            f,
            sample.map((r) => r[f] ?? null),
          ),
        ]),
      ),
      target_fields: table?.fields ?? [],
      suggested_mapping: table ? suggestMapping(sourceFields, sample, table.fields) : {},
      sample_data: rows
        .slice(0, SAMPLE_ROWS)
        .map((row, row_index) => Object.assign({ row_index }, row, { row_index })),
      total_records: rows.length,
    };
  }

  /** The union of source fields over the completed files, per-file summaries, one mapping. */
  async previewBulk(
    ownerId: string,
    bulkId: string,
    options: { tableId?: string | null; recordType?: string | null; includeSourceFile?: boolean },
  ): Promise<BulkPreviewResult> {
    const { bulk, children, sets } = await this.source.bulkRows(ownerId, bulkId, {
      recordType: options.recordType,
      includeSourceFile: options.includeSourceFile,
    });
    const table = options.tableId ? await this.tables.describe(ownerId, options.tableId) : null;
    const rows = sets.flatMap((s) => s.rows);
    const sourceFields = sourceFieldsOf(rows);
    const sample = sets.flatMap((s) => s.rows.slice(0, TYPE_SAMPLE_ROWS));
    const bySet = new Map(sets.map((s) => [s.job.id, s]));
    return {
      bulk_job_id: bulk.id,
      table_id: table?.id ?? null,
      record_types: [...new Set(sets.flatMap((s) => s.record_types))],
      source_fields: sourceFields,
      source_field_types: Object.fromEntries(
        sourceFields.map((f) => [
          f,
          inferFieldType(
            f,
            sample.map((r) => r[f] ?? null),
          ),
        ]),
      ),
      target_fields: table?.fields ?? [],
      suggested_mapping: table ? suggestMapping(sourceFields, sample, table.fields) : {},
      sample_data: sets
        .flatMap((s) =>
          s.rows
            .slice(0, SAMPLE_ROWS)
            .map((row, row_index) =>
              Object.assign({ job_id: s.job.id, row_index }, row, { job_id: s.job.id, row_index }),
            ),
        )
        .slice(0, SAMPLE_ROWS),
      total_records: rows.length,
      files: children.map((child) => {
        const set = bySet.get(child.id);
        return {
          job_id: child.id,
          filename: child.filename,
          format: child.format,
          status: child.status,
          record_type: set?.record_type ?? null,
          source_fields: set ? sourceFieldsOf(set.rows) : [],
          total_records: set?.rows.length ?? 0,
        };
      }),
    };
  }
}
