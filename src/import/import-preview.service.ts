/**
 * What the frontend shows before an import: the source fields of the chosen record type, the
 * table's fields, a suggested mapping, the first rows (with their row_index) and the counts.
 */
import { Inject, Injectable } from '@nestjs/common';
import { TABLE_GATEWAY, TableGateway } from '../tables/table-gateway';
import { suggestMapping } from './mapping/field-matching';
import { inferFieldType } from './mapping/type-inference';
import { PreviewResult } from './import-types';
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
}
