import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES } from '../../extraction/entities/job-enums';
import { JobResponse } from './job.response';

/** How many jobs are in each status: one integer property per status of JOB_STATUSES. */
export class JobCountsByStatus {}
const statusExamples: Record<string, number> = { completed: 110, failed: 5, pending: 2 };
for (const status of JOB_STATUSES) {
  // Declared from the enum, so a new status appears here (and in the document) by itself.
  ApiProperty({ type: 'integer', example: statusExamples[status] ?? 0 })(
    JobCountsByStatus.prototype,
    status,
  );
}

/** GET /jobs/stats */
export class JobStatsResponse {
  @ApiProperty({ type: 'integer', example: 120 })
  total!: number;

  @ApiProperty({ type: () => JobCountsByStatus })
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
