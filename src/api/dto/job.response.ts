import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageResponse } from './page.response';
import { EXTRACTION_FORMATS, JOB_KINDS, JOB_STATUSES } from '../../extraction/entities/job-enums';

const openObject = { type: 'object', additionalProperties: true } as const;

/** Percent done: fractional (a bulk of three files at two done is 66.67; the column is real). */
export const PROGRESS = { type: 'number', minimum: 0, maximum: 100, example: 0 } as const;

/** Where the last reprocess of a completed job is (POST /jobs/reprocess). */
export class JobReprocessResponse {
  @ApiProperty({
    enum: ['pending', 'processing', 'retrying', 'completed', 'failed'],
    description:
      'pending/processing/retrying: the new attempt waits or runs, the job shows its previous result; completed: the result is the new one; failed: the previous result stays',
    example: 'pending',
  })
  status!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-06T08:00:00.000Z' })
  requested_at!: string;

  @ApiProperty({ type: String, nullable: true, example: null })
  error_code!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  error_message!: string | null;
}

/** A job as the frontend reads it (SEED-NOTES §1), snake_case. */
export class JobResponse {
  @ApiProperty({ format: 'uuid', example: '2f0c6a8e-1d4b-4f7e-9a0b-3c5d7e9f1a2b' })
  id!: string;

  @ApiProperty({ enum: JOB_KINDS, example: 'single' })
  kind!: string;

  @ApiProperty({ enum: JOB_STATUSES, example: 'completed' })
  status!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: `One of ${EXTRACTION_FORMATS.join(', ')}; null for a bulk without format_override`,
    example: 'dxf',
  })
  format!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'part.dxf' })
  filename!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 48213 })
  file_size!: number | null;

  @ApiProperty({ ...openObject, example: { extract_layers: true } })
  options!: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true, example: 'tbl_123' })
  target_table_id!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  record_id!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  attachment_id!: string | null;

  @ApiProperty({ ...PROGRESS, example: 100 })
  progress!: number;

  @ApiProperty({
    ...openObject,
    nullable: true,
    description: 'The result when small enough to inline (see result_url otherwise)',
    example: { source_file: 'part.dxf', source_type: 'dxf', success: true, layers: [] },
  })
  result!: Record<string, unknown> | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Where the full result is, when it was too large to inline',
    example: null,
  })
  result_url!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  error_code!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  error_message!: string | null;

  @ApiProperty({ type: 'integer', example: 0 })
  retry_count!: number;

  @ApiProperty({ type: 'integer', example: 3 })
  max_retries!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  next_retry_at!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T10:00:00.000Z' })
  created_at!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-01-05T10:00:01.000Z',
  })
  started_at!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-01-05T10:00:02.000Z',
  })
  completed_at!: string | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Version of the extractor that made the result (null before a first attempt)',
    example: 1,
  })
  extractor_version!: number | null;

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'The earlier job whose identical result this job took instead of extracting',
    example: null,
  })
  reused_from!: string | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'Set for a file of a bulk' })
  parent_job_id?: string;

  @ApiPropertyOptional({
    type: JobReprocessResponse,
    description:
      'Set once the job was reprocessed. While the new attempt waits or runs the job stays `completed` with its previous result',
  })
  reprocess?: JobReprocessResponse;
}

/** GET /jobs */
export class JobListResponse extends PageResponse {
  @ApiProperty({ type: [JobResponse] })
  items!: JobResponse[];
}

/** The `data` of each Server-Sent Event of GET /jobs/{id}/events (event `status` or `progress`). */
export class JobProgressEvent {
  @ApiProperty({ format: 'uuid', example: '2f0c6a8e-1d4b-4f7e-9a0b-3c5d7e9f1a2b' })
  id!: string;

  @ApiProperty({ enum: JOB_STATUSES, example: 'processing' })
  status!: string;

  @ApiProperty({ ...PROGRESS, example: 40 })
  progress!: number;

  @ApiProperty({ type: String, nullable: true, example: null })
  error_code!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  error_message!: string | null;
}
