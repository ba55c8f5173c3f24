/** POST /import: the frontend's body (SEED-NOTES §1) plus the options of issue 14. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { BOM_IMPORT_MODES, BomImportMode } from '../../import/import-types';

/** What every import names: the target table, the mapping into it, and how rows may fail. */
export abstract class ImportTargetDto {
  @ApiProperty({ example: '5b1f…' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  table_id!: string;

  @ApiProperty({
    description:
      'Source field (a BOM column for BOM imports) → target field id; null leaves it out',
    example: { 'PART NO': 'field-id-1', QTY: 'field-id-2' },
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
  })
  @IsObject()
  field_mapping!: Record<string, string | null>;

  @ApiPropertyOptional({
    description:
      'Create a field (type inferred from names and values) for every unmapped source field',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  create_missing_fields?: boolean;

  @ApiPropertyOptional({
    description:
      'Import the good rows and report the bad ones; false imports nothing if any row fails',
    default: true,
  })
  @IsOptional()
  @IsBoolean()
  skip_errors?: boolean;
}

export class ImportRequestDto extends ImportTargetDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  job_id!: string;

  @ApiPropertyOptional({ type: [Number], description: 'Only these rows (0-based row_index)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1_000_000)
  @IsInt({ each: true })
  @Min(0, { each: true })
  row_indices?: number[];

  @ApiPropertyOptional({
    description: 'Record type of the result; default per format',
    example: 'tables',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  record_type?: string;

  @ApiPropertyOptional({
    description: 'Import rows of this job already in the table again',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  allow_duplicates?: boolean;

  @ApiPropertyOptional({ description: "Import a failed job's kept partial result", default: false })
  @IsOptional()
  @IsBoolean()
  allow_partial?: boolean;
}

/** Values in field_mapping must be field ids (strings) or null. */
export function mappingProblems(mapping: Record<string, unknown>): string[] {
  return Object.entries(mapping)
    .filter(([, v]) => v !== null && typeof v !== 'string')
    .map(([k]) => k);
}

/** POST /bulk/import: the completed files of a bulk in one import. */
export class BulkImportRequestDto extends ImportTargetDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  bulk_job_id!: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'File job ids of the bulk (default: all completed)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  file_selection?: string[];

  @ApiPropertyOptional({
    description: 'Add source_file and source_format columns to every row',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  include_source_file?: boolean;

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() allow_duplicates?: boolean;

  @ApiPropertyOptional({ description: 'Record type; default per file format' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  record_type?: string;

  @ApiPropertyOptional({
    description:
      "Only these rows of the files named (file job id → 0-based row_index, as the bulk preview's sample rows give them); files not named import all their rows",
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'integer', minimum: 0 } },
    example: { '4f0c2a7e-8d1b-4c3e-9a55-0e7b6f1d2c3a': [0, 2] },
  })
  @IsOptional()
  @IsObject()
  row_indices?: Record<string, number[]>;
}

/** Problems of a bulk import's row_indices: keys must be job ids, values lists of row indices. */
export function bulkRowIndicesProblems(value: Record<string, unknown>): string[] {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const problems: string[] = [];
  let total = 0;
  for (const [key, indices] of Object.entries(value)) {
    if (!uuid.test(key)) problems.push(`${key}: not a file job id`);
    else if (
      !Array.isArray(indices) ||
      !indices.every((i) => Number.isInteger(i) && (i as number) >= 0)
    ) {
      problems.push(`${key}: must be a list of row indices (integers >= 0)`);
    } else total += indices.length;
  }
  if (total > 1_000_000) problems.push('at most 1,000,000 row indices in all');
  return problems;
}

/** POST /bom/import (the original's route 25): BOM items posted directly into a table. */
export class BomImportRequestDto extends ImportTargetDto {
  @ApiProperty({
    description: 'A BOM as the extractor gives it ({items: [...]}) or the list of items',
    example: {
      items: [{ item_id: '1', part_number: 'HX-100', description: 'Housing', quantity: 1 }],
    },
  })
  @IsDefined()
  bom_data!: unknown;

  @ApiPropertyOptional({ enum: BOM_IMPORT_MODES, default: 'all' })
  @IsOptional()
  @IsIn(BOM_IMPORT_MODES)
  import_mode?: BomImportMode;

  @ApiPropertyOptional({
    default: 1000,
    minimum: 1,
    maximum: 5000,
    description: 'Records per INSERT',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5000)
  batch_size?: number;

  @ApiPropertyOptional({
    description: 'File name kept as the records’ source_file',
    example: 'bom.xlsx',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  source_file?: string;
}

/** The items of `bom_data`, or null when it holds no list of objects. */
export function bomItemsOf(data: unknown): Record<string, unknown>[] | null {
  const items = Array.isArray(data)
    ? (data as unknown[])
    : typeof data === 'object' && data !== null
      ? (data as { items?: unknown }).items
      : undefined;
  if (!Array.isArray(items)) return null;
  return items.every((i) => typeof i === 'object' && i !== null && !Array.isArray(i))
    ? (items as Record<string, unknown>[])
    : null;
}
