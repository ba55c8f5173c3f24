import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  EXTRACTION_FORMATS,
  ExtractionFormat,
  JOB_STATUSES,
  JobStatus,
} from '../../extraction/entities/job-enums';
import { EmptyAsAbsent, ToNumber } from './wire-transforms';

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

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1, example: 1 })
  @ToNumber()
  @IsOptional()
  @IsInt({ message: `"page" must be a whole number from 1 to ${MAX_PAGE}` })
  @Min(1, { message: `"page" must be a whole number from 1 to ${MAX_PAGE}` })
  @Max(MAX_PAGE, { message: `"page" must be a whole number from 1 to ${MAX_PAGE}` })
  page?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: 20,
    example: 20,
  })
  @ToNumber()
  @IsOptional()
  @IsInt({ message: `"page_size" must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  @Min(1, { message: `"page_size" must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `"page_size" must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  page_size?: number;
}
