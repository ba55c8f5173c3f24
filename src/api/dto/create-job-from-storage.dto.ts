import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { EXTRACTION_FORMATS, ExtractionFormat } from '../../extraction/entities/job-enums';

/** POST /jobs with a JSON body: extract a file already in our storage (auto-extraction on upload). */
export class CreateJobFromStorageDto {
  @ApiProperty({
    example: 'local://user-1/2f0c…/drawing.dxf',
    description: "file_url of an object in this service's storage",
  })
  @IsString()
  @MaxLength(2048)
  file_url!: string;

  @ApiPropertyOptional({
    enum: EXTRACTION_FORMATS,
    description: 'Defaults to the format of the file extension',
  })
  @IsOptional()
  @IsIn(EXTRACTION_FORMATS)
  format?: ExtractionFormat;

  @ApiPropertyOptional({ example: 'drawing.dxf' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  filename?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) target_table_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) record_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) field_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) attachment_id?: string;

  @ApiPropertyOptional({ example: { extract_layers: true } })
  @IsOptional()
  @IsObject()
  options?: Record<string, unknown>;

  @ApiPropertyOptional({
    example: 'https://hooks.example.com/jobs',
    description:
      "Signed webhook (Standard Webhooks, your callback secret) for this job's events; https, public addresses only",
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  callback_url?: string;
}
