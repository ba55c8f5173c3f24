import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { JOB_STATUSES, JobStatus } from '../../extraction/entities/job-enums';
import { MAX_PAGE } from './list-jobs.query';
import { EmptyAsAbsent, ToBoolean, ToNumber } from './wire-transforms';

export const MAX_FILES_PAGE_SIZE = 500;
export const DEFAULT_FILES_PAGE_SIZE = 100;

/** GET /bulk/{id}?files_page=&files_page_size=&files_status=&include_results= */
export class BulkStatusQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1, example: 1 })
  @ToNumber()
  @IsOptional()
  @IsInt({ message: `"files_page" must be a whole number from 1 to ${MAX_PAGE}` })
  @Min(1, { message: `"files_page" must be a whole number from 1 to ${MAX_PAGE}` })
  @Max(MAX_PAGE, { message: `"files_page" must be a whole number from 1 to ${MAX_PAGE}` })
  files_page?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_FILES_PAGE_SIZE,
    default: DEFAULT_FILES_PAGE_SIZE,
    example: DEFAULT_FILES_PAGE_SIZE,
  })
  @ToNumber()
  @IsOptional()
  @IsInt({ message: `"files_page_size" must be a whole number from 1 to ${MAX_FILES_PAGE_SIZE}` })
  @Min(1, { message: `"files_page_size" must be a whole number from 1 to ${MAX_FILES_PAGE_SIZE}` })
  @Max(MAX_FILES_PAGE_SIZE, {
    message: `"files_page_size" must be a whole number from 1 to ${MAX_FILES_PAGE_SIZE}`,
  })
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
