import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { EXTRACTION_FORMATS, ExtractionFormat } from '../../extraction/entities/job-enums';
import { OnlyTrue, ToNumber } from './wire-transforms';

/**
 * POST /jobs/reprocess?format=&extractor_version_lt=&completed_before=&owner_id=&dry_run=
 * Completed single jobs matching every given filter run again (a dry run only counts them).
 */
export class ReprocessJobsQuery {
  @ApiPropertyOptional({ enum: EXTRACTION_FORMATS, example: 'dxf' })
  @IsOptional()
  @IsIn(EXTRACTION_FORMATS, { message: `"format" must be one of ${EXTRACTION_FORMATS.join(', ')}` })
  format?: ExtractionFormat;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    example: 2,
    description: 'Only results made by an extractor version below this (or with none recorded)',
  })
  @ToNumber()
  @IsOptional()
  @IsInt({ message: '"extractor_version_lt" must be a whole number from 1' })
  @Min(1, { message: '"extractor_version_lt" must be a whole number from 1' })
  extractor_version_lt?: number;

  @ApiPropertyOptional({ type: 'string', format: 'date-time', example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: '"completed_before" must be an ISO 8601 date-time' })
  completed_before?: Date;

  @ApiPropertyOptional({ example: 'alice' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  owner_id?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 10000,
    example: 1000,
    description: 'At most this many jobs per call (default 1000), oldest results first',
  })
  @ToNumber()
  @IsOptional()
  @IsInt({ message: '"limit" must be a whole number from 1 to 10000' })
  @Min(1, { message: '"limit" must be a whole number from 1 to 10000' })
  @Max(10_000, { message: '"limit" must be a whole number from 1 to 10000' })
  limit?: number;

  @ApiPropertyOptional({ type: 'boolean', example: true, description: 'Only "true" counts' })
  @OnlyTrue()
  @IsOptional()
  @IsBoolean()
  dry_run?: boolean;
}

/** POST /jobs/reprocess: how many matched, and how many were queued again (none on a dry run). */
export class ReprocessJobsResponse {
  @ApiProperty({ example: false })
  dry_run!: boolean;

  @ApiProperty({ type: 'integer', example: 12 })
  matched!: number;

  @ApiProperty({ type: 'integer', example: 12 })
  requeued!: number;
}
