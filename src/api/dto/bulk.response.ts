import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EXTRACTION_FORMATS, JOB_STATUSES } from '../../extraction/entities/job-enums';
import { PROGRESS } from './job.response';

const nullableDate = { type: String, format: 'date-time', nullable: true, example: null };

/** One file of a bulk (SEED-NOTES §1, plus error_code and retry_count). */
export class BulkFileResponse {
  @ApiProperty({ type: String, nullable: true, example: 'a.dxf' })
  file_path!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'a.dxf' })
  filename!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: `One of ${EXTRACTION_FORMATS.join(', ')}; null for a bulk without format_override`,
    example: 'dxf',
  })
  format!: string | null;

  @ApiProperty({ enum: JOB_STATUSES, example: 'pending' })
  status!: string;

  @ApiProperty({ format: 'uuid', example: '7a1d3c5e-9b2f-4d6a-8c0e-1f3a5b7c9d2e' })
  job_id!: string;

  @ApiProperty(PROGRESS)
  progress!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Only in GET /bulk/{id} with include_results=true; otherwise fetch result_url',
    example: null,
  })
  result!: Record<string, unknown> | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'GET this for the full result once the file completed (or failed with a partial result)',
    example: '/api/v1/extraction/jobs/7a1d3c5e-9b2f-4d6a-8c0e-1f3a5b7c9d2e/result',
  })
  result_url!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  error_code!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  error_message!: string | null;

  @ApiProperty({ type: 'integer', example: 0 })
  retry_count!: number;

  @ApiProperty(nullableDate)
  started_at!: string | null;

  @ApiProperty(nullableDate)
  completed_at!: string | null;
}

/** A bulk with one entry per file. */
export class BulkResponse {
  @ApiProperty({ format: 'uuid', example: '4c2e6a8b-0d1f-4e3a-9b5c-7d9e1f3a5b7c' })
  bulk_job_id!: string;

  @ApiProperty({ type: 'integer', example: 2 })
  total_files!: number;

  @ApiProperty({
    type: [BulkFileResponse],
    description:
      'GET /bulk/{id}: one page of files (files_page, files_page_size); other answers: every file',
  })
  files!: BulkFileResponse[];

  @ApiPropertyOptional({
    type: 'integer',
    description: 'GET /bulk/{id}: the page of `files`',
    example: 1,
  })
  files_page?: number;

  @ApiPropertyOptional({ type: 'integer', example: 100 })
  files_page_size?: number;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'GET /bulk/{id}: files matching files_status (all files without it)',
    example: 2,
  })
  files_total?: number;

  @ApiPropertyOptional({
    enum: JOB_STATUSES,
    description: 'GET /bulk/{id}: the files_status filter, when given',
    example: 'failed',
  })
  files_status?: string;

  @ApiProperty({ enum: JOB_STATUSES, example: 'pending' })
  overall_status!: string;

  @ApiProperty(PROGRESS)
  progress!: number;

  @ApiProperty({ type: 'integer', example: 0 })
  files_completed!: number;

  @ApiProperty({ type: 'integer', example: 0 })
  files_failed!: number;

  @ApiProperty({ type: 'integer', example: 0 })
  files_cancelled!: number;

  @ApiProperty({ type: 'integer', example: 2 })
  files_pending!: number;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T10:00:00.000Z' })
  created_at!: string;

  @ApiProperty(nullableDate)
  started_at!: string | null;

  @ApiProperty(nullableDate)
  completed_at!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'tbl_123' })
  target_table_id!: string | null;
}

/** One event of GET /bulk/{id}/events: the bulk's counters. */
export class BulkProgressEvent {
  @ApiProperty({ format: 'uuid', example: '4c2e6a8b-0d1f-4e3a-9b5c-7d9e1f3a5b7c' })
  bulk_job_id!: string;

  @ApiProperty({ enum: JOB_STATUSES, example: 'processing' })
  overall_status!: string;

  @ApiProperty({ ...PROGRESS, example: 40 })
  progress!: number;

  @ApiProperty({ type: 'integer', example: 500 })
  total_files!: number;

  @ApiProperty({ type: 'integer', example: 180 })
  files_completed!: number;

  @ApiProperty({ type: 'integer', example: 20 })
  files_failed!: number;

  @ApiProperty({ type: 'integer', example: 0 })
  files_cancelled!: number;

  @ApiProperty({ type: 'integer', example: 300 })
  files_pending!: number;
}
