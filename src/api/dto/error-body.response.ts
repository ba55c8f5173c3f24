import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one error body of every route (http-error.filter.ts). */
export class ErrorBody {
  @ApiProperty({ example: 'JOB_NOT_FOUND', description: 'Stable machine-readable code' })
  code!: string;

  @ApiProperty({ example: 'Job 2f0c… not found' })
  message!: string;

  @ApiProperty({
    example: 'Job 2f0c… not found',
    description: 'The same as message (read by the original frontend)',
  })
  detail!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { field: 'page_size', value: '101' },
    description: 'Field-level information, e.g. for VALIDATION_FAILED',
  })
  details?: Record<string, unknown>;

  @ApiProperty({ example: '5b7e3c1a-8f0d-4c55-9a53-0c2f8d1e6b11' })
  request_id!: string;
}
