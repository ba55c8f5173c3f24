import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { OnlyTrue } from './wire-transforms';

/** POST /jobs/{id}/retry?force=true */
export class RetryJobQuery {
  @ApiPropertyOptional({
    type: 'boolean',
    description: 'Retry even when retries are exhausted (only "true" counts)',
    example: true,
  })
  @OnlyTrue()
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}
