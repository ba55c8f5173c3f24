import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  EXTRACTION_FORMATS,
  ExtractionFormat,
  JOB_STATUSES,
  JobStatus,
} from '../../extraction/entities/job-enums';
import { EmptyAsAbsent } from './wire-transforms';
import { WholeNumberQuery } from './whole-number-query';

export const MAX_PAGE = 1_000_000;
export const MAX_PAGE_SIZE = 100;

/** GET /jobs?status=&format=&page=&page_size= */
export class ListJobsQuery {
  @ApiPropertyOptional({ enum: JOB_STATUSES, example: 'completed' })
  @EmptyAsAbsent()
  @IsOptional()
  @IsIn(JOB_STATUSES, { message: `"status" must be one of ${JOB_STATUSES.join(', ')}` })
  status?: JobStatus;

  @ApiPropertyOptional({ enum: EXTRACTION_FORMATS, example: 'dxf' })
  @EmptyAsAbsent()
  @IsOptional()
  @IsIn(EXTRACTION_FORMATS, {
    message: `Field "format" must be one of ${EXTRACTION_FORMATS.join(', ')}`,
  })
  format?: ExtractionFormat;

  @WholeNumberQuery('page', MAX_PAGE, 1)
  page?: number;

  @WholeNumberQuery('page_size', MAX_PAGE_SIZE, 20)
  page_size?: number;
}
