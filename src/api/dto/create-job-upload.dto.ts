import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { EXTRACTION_FORMATS, ExtractionFormat } from '../../extraction/entities/job-enums';
import { EmptyAsAbsent, ToBoolean, ToTrimmedText } from './wire-transforms';

const formatMessage = (field: string) =>
  `Field "${field}" must be one of ${EXTRACTION_FORMATS.join(', ')}`;

/**
 * POST /jobs as multipart (the frontend's upload). Validated once the upload is parsed; the
 * format's own options may come as further fields (format-options.ts reads them).
 */
export class CreateJobUploadDto {
  @ApiProperty({ type: 'string', format: 'binary' })
  file!: unknown;

  @ApiPropertyOptional({
    enum: EXTRACTION_FORMATS,
    example: 'dxf',
    description: 'Defaults to the format of the file extension',
  })
  @EmptyAsAbsent()
  @IsOptional()
  @IsIn(EXTRACTION_FORMATS, { message: formatMessage('format') })
  format?: ExtractionFormat;

  @ApiPropertyOptional({ example: 'tbl_123' })
  @ToTrimmedText()
  @IsOptional()
  @IsString()
  target_table_id?: string;

  @ApiPropertyOptional({
    example: '{"extract_layers": true}',
    description: "A JSON object of the format's options (see the per-format routes)",
  })
  @EmptyAsAbsent()
  @IsOptional()
  @IsString()
  options?: string;

  @ApiPropertyOptional({
    example: 'https://hooks.example.com/jobs',
    description:
      "Signed webhook (Standard Webhooks, your callback secret) for this job's events; https, public addresses only",
  })
  @EmptyAsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  callback_url?: string;
}

/** POST /bulk (multipart): many `files`, one job each. */
export class CreateBulkUploadDto {
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'binary' } })
  files!: unknown[];

  @ApiPropertyOptional({
    enum: EXTRACTION_FORMATS,
    example: 'dxf',
    description: 'One format for every file; required when auto_detect_format is "false"',
  })
  @EmptyAsAbsent()
  @IsOptional()
  @IsIn(EXTRACTION_FORMATS, { message: formatMessage('format_override') })
  format_override?: ExtractionFormat;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true', example: 'true' })
  @ToBoolean()
  @IsOptional()
  @IsBoolean({ message: 'Field "auto_detect_format" must be "true" or "false"' })
  auto_detect_format?: boolean;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'true',
    example: 'true',
    description: 'With "false", one unreadable file refuses the whole request',
  })
  @ToBoolean()
  @IsOptional()
  @IsBoolean({ message: 'Field "continue_on_error" must be "true" or "false"' })
  continue_on_error?: boolean;

  @ApiPropertyOptional({ example: 'tbl_123' })
  @ToTrimmedText()
  @IsOptional()
  @IsString()
  target_table_id?: string;

  @ApiPropertyOptional({
    example: 'https://hooks.example.com/jobs',
    description:
      "Signed webhook (Standard Webhooks, your callback secret) for this bulk's events and its files' (not bulk.progress: subscribe to it with POST /webhooks); https, public addresses only",
  })
  @EmptyAsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  callback_url?: string;
}
