/** Response bodies of preview and import, as OpenAPI schemas. */
import { ApiProperty } from '@nestjs/swagger';
import { FIELD_TYPES } from '../../tables/field-types';
import { ImportRunRow } from '../../import/runs/import-runs.repository';
import { FieldResponse } from './table-wire';

export class ImportRowErrorResponse {
  @ApiProperty({ required: false, description: 'Bulk imports: the file job of the row' })
  job_id?: string;
  @ApiProperty({ example: 2 }) row_index!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The source row' })
  row!: Record<string, unknown>;
  @ApiProperty({ example: 'QTY', description: 'Source field' }) field!: string;
  @ApiProperty({ example: '"many" is not a valid number' }) message!: string;
}

export class ImportResponse {
  @ApiProperty({
    description: 'False when skip_errors=false and a row failed: nothing was imported',
  })
  success!: boolean;
  @ApiProperty() records_imported!: number;
  @ApiProperty() records_failed!: number;
  @ApiProperty({ description: 'Rows of this job already in the table, not imported again' })
  records_skipped!: number;
  @ApiProperty({ type: [ImportRowErrorResponse] }) errors!: ImportRowErrorResponse[];
  @ApiProperty({ description: 'More row errors happened than listed (at most 1000)' })
  errors_truncated!: boolean;
  @ApiProperty({ type: [String] }) created_field_ids!: string[];
  @ApiProperty() job_id!: string;
  @ApiProperty() table_id!: string;
  @ApiProperty({ example: 'tables' }) record_type!: string;
}

export class PreviewResponse {
  @ApiProperty() job_id!: string;
  @ApiProperty({ type: String, nullable: true }) format!: string | null;
  @ApiProperty({ type: String, nullable: true }) table_id!: string | null;
  @ApiProperty({ example: 'tables' }) record_type!: string;
  @ApiProperty({ type: [String], description: 'Record types with rows first' })
  record_types!: string[];
  @ApiProperty({ type: [String] }) source_fields!: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: [...FIELD_TYPES] },
    description: 'Type a created field would get',
  })
  source_field_types!: Record<string, string>;
  @ApiProperty({ type: [FieldResponse] }) target_fields!: FieldResponse[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Source field → target field id',
  })
  suggested_mapping!: Record<string, string>;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'The first 20 rows, each with its row_index',
  })
  sample_data!: Record<string, unknown>[];
  @ApiProperty() total_records!: number;
}

export class FileImportCountResponse {
  @ApiProperty() job_id!: string;
  @ApiProperty({ type: String, nullable: true }) filename!: string | null;
  @ApiProperty() record_type!: string;
  @ApiProperty() records_imported!: number;
  @ApiProperty() records_failed!: number;
  @ApiProperty() records_skipped!: number;
}

export class BulkImportResponse {
  @ApiProperty() success!: boolean;
  @ApiProperty() records_imported!: number;
  @ApiProperty() records_failed!: number;
  @ApiProperty() records_skipped!: number;
  @ApiProperty({ type: [ImportRowErrorResponse] }) errors!: ImportRowErrorResponse[];
  @ApiProperty() errors_truncated!: boolean;
  @ApiProperty({ type: [String] }) created_field_ids!: string[];
  @ApiProperty() table_id!: string;
  @ApiProperty() bulk_job_id!: string;
  @ApiProperty({ type: [FileImportCountResponse] }) files!: FileImportCountResponse[];
}

export class BulkPreviewFileResponse {
  @ApiProperty() job_id!: string;
  @ApiProperty({ type: String, nullable: true }) filename!: string | null;
  @ApiProperty({ type: String, nullable: true }) format!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for files not completed' })
  record_type!: string | null;
  @ApiProperty({ type: [String] }) source_fields!: string[];
  @ApiProperty() total_records!: number;
}

export class BulkPreviewResponse {
  @ApiProperty() bulk_job_id!: string;
  @ApiProperty({ type: String, nullable: true }) table_id!: string | null;
  @ApiProperty({ type: [String] }) record_types!: string[];
  @ApiProperty({ type: [String], description: 'Union over the completed files' })
  source_fields!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  source_field_types!: Record<string, string>;
  @ApiProperty({ type: [FieldResponse] }) target_fields!: FieldResponse[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  suggested_mapping!: Record<string, string>;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'The first 20 rows across files, each with job_id and row_index',
  })
  sample_data!: Record<string, unknown>[];
  @ApiProperty() total_records!: number;
  @ApiProperty({ type: [BulkPreviewFileResponse] }) files!: BulkPreviewFileResponse[];
}

export class BomImportResponse {
  @ApiProperty() success!: boolean;
  @ApiProperty() records_imported!: number;
  @ApiProperty({ description: 'Rows with a value that does not fit, or invalid (validated_only)' })
  records_failed!: number;
  @ApiProperty({ description: 'new_only: items whose part number is already there' })
  records_skipped!: number;
  @ApiProperty({ type: [ImportRowErrorResponse] }) errors!: ImportRowErrorResponse[];
  @ApiProperty() errors_truncated!: boolean;
  @ApiProperty({ type: [String] }) created_field_ids!: string[];
  @ApiProperty() table_id!: string;
  @ApiProperty({ enum: ['all', 'validated_only', 'new_only'] }) import_mode!: string;
}

export class ImportAcceptedResponse {
  @ApiProperty({ format: 'uuid' }) import_id!: string;
  @ApiProperty({ enum: ['pending'] }) status!: 'pending';
  @ApiProperty() total_rows!: number;
  @ApiProperty({ example: '/api/v1/extraction/imports/…' }) status_url!: string;
}

export class ImportRunResponse {
  @ApiProperty({ format: 'uuid' }) import_id!: string;
  @ApiProperty({ enum: ['pending', 'processing', 'completed', 'failed'] }) status!: string;
  @ApiProperty() total_rows!: number;
  @ApiProperty() processed_rows!: number;
  @ApiProperty({ description: '0..100' }) progress!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'When completed: the import answer (as POST /import or /bulk/import gives it)',
  })
  result!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) error_code!: string | null;
  @ApiProperty({ type: String, nullable: true }) error_message!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty({ type: String, nullable: true }) completed_at!: string | null;
}

/** GET /imports/{id}, and the data of every event of /imports/{id}/events. */
export function toImportRunResponse(run: ImportRunRow): ImportRunResponse {
  return {
    import_id: run.id,
    status: run.status,
    total_rows: run.total_rows,
    processed_rows: run.processed_rows,
    progress: run.total_rows === 0 ? 100 : Math.floor((run.processed_rows / run.total_rows) * 100),
    result: run.result,
    error_code: run.error_code,
    error_message: run.error_message,
    created_at: new Date(run.created_at).toISOString(),
    completed_at: run.completed_at ? new Date(run.completed_at).toISOString() : null,
  };
}
