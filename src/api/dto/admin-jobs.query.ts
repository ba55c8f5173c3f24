import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNumber, IsOptional, Min } from 'class-validator';
import { OnlyTrue, ToNumber } from './wire-transforms';

const fromZero = (name: string) => `"${name}" must be a number from 0`;

/** GET /jobs/stuck?timeout_minutes= (default STUCK_TIMEOUT_MINUTES) */
export class StuckJobsQuery {
  @ApiPropertyOptional({ type: 'number', minimum: 0, example: 30 })
  @ToNumber()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: fromZero('timeout_minutes') })
  @Min(0, { message: fromZero('timeout_minutes') })
  timeout_minutes?: number;
}

/** POST /jobs/cleanup?older_than_days=&dry_run= (default RETENTION_DAYS; dry run only for "true") */
export class CleanupJobsQuery {
  @ApiPropertyOptional({ type: 'number', minimum: 0, example: 30 })
  @ToNumber()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: fromZero('older_than_days') })
  @Min(0, { message: fromZero('older_than_days') })
  older_than_days?: number;

  @ApiPropertyOptional({
    type: 'boolean',
    example: true,
    description: 'Only "true" counts without deleting',
  })
  @OnlyTrue()
  @IsOptional()
  @IsBoolean()
  dry_run?: boolean;
}
