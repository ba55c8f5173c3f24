/** The paging fields every list response carries beside its `items`. */
import { ApiProperty } from '@nestjs/swagger';

export abstract class PageResponse {
  @ApiProperty({ type: 'integer', example: 42 })
  total!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', example: 20 })
  page_size!: number;
}
