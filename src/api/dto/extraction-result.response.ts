import { ApiProperty } from '@nestjs/swagger';
import { EXTRACTION_FORMATS } from '../../extraction/entities/job-enums';

/**
 * What an extractor returns (SEED-NOTES §2): these fields in every result, plus the format's own
 * (layers, tables, elements, assembly, bom, …), which the schema leaves open.
 */
export class ExtractionResult {
  @ApiProperty({ example: 'part.dxf' })
  source_file!: string;

  @ApiProperty({ enum: EXTRACTION_FORMATS, example: 'dxf' })
  source_type!: string;

  @ApiProperty({ example: true })
  success!: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { dxf_version: 'AC1027' } })
  metadata!: Record<string, unknown>;

  @ApiProperty({ type: [String], example: [] })
  errors!: string[];

  @ApiProperty({ type: [String], example: [] })
  warnings!: string[];
}
