import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES } from '../../extraction/entities/job-enums';
import { JobResponse } from './job.response';

/** GET /jobs/stats */
export class JobStatsResponse {
  @ApiProperty({ type: 'integer', example: 120 })
  total!: number;

  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(JOB_STATUSES.map((s) => [s, { type: 'integer' }])),
    required: [...JOB_STATUSES],
    example: { pending: 2, processing: 1, completed: 110, failed: 5, cancelled: 2, retrying: 0 },
  })
  by_status!: Record<string, number>;

  @ApiProperty({ type: 'integer', description: 'Retries that are due now', example: 0 })
  retryable!: number;
}

/** GET /jobs/stuck */
export class StuckJobsResponse {
  @ApiProperty({ type: [JobResponse] })
  items!: JobResponse[];

  @ApiProperty({ type: 'number', example: 30 })
  timeout_minutes!: number;
}

/** POST /jobs/cleanup: `would_delete` on a dry run, `deleted` otherwise. */
export class CleanupJobsResponse {
  @ApiProperty({ example: true })
  dry_run!: boolean;

  @ApiProperty({ type: 'number', example: 30 })
  older_than_days!: number;

  @ApiPropertyOptional({ type: 'integer', description: 'On a dry run', example: 7 })
  would_delete?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Without dry run', example: 7 })
  deleted?: number;
}
