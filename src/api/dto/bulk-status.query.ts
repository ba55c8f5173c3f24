import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { JOB_STATUSES, JobStatus } from '../../extraction/entities/job-enums';
import { MAX_PAGE } from './list-jobs.query';
import { EmptyAsAbsent, ToBoolean } from './wire-transforms';
import { WholeNumberQuery } from './whole-number-query';

export const MAX_FILES_PAGE_SIZE = 500;
export const DEFAULT_FILES_PAGE_SIZE = 100;

/** GET /bulk/{id}?files_page=&files_page_size=&files_status=&include_results= */
export class BulkStatusQuery {
  @WholeNumberQuery('files_page', MAX_PAGE, 1)
  files_page?: number;

  @WholeNumberQuery('files_page_size', MAX_FILES_PAGE_SIZE, DEFAULT_FILES_PAGE_SIZE)
  files_page_size?: number;

  @ApiPropertyOptional({
    enum: JOB_STATUSES,
    description: 'Only files in this status',
    example: 'failed',
  })
  @EmptyAsAbsent()
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: `"files_status" must be one of ${JOB_STATUSES.join(', ')}` })
  files_status?: JobStatus;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: "Inline the results of this page's files (otherwise fetch each by result_url)",
    example: false,
  })
  @ToBoolean()
  @IsOptional()
  @IsBoolean({ message: '"include_results" must be true or false' })
  include_results?: boolean;
}
