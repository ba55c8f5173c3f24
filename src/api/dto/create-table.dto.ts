/** POST /api/v1/tables: a table of the built-in store with its first fields. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { FIELD_TYPES, FieldType } from '../../tables/field-types';

export class NewFieldDto {
  @ApiProperty({ example: 'Part number' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: FIELD_TYPES, example: 'text' })
  @IsIn(FIELD_TYPES)
  type!: FieldType;

  @ApiPropertyOptional({ example: 'Manufacturer part number' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class CreateTableDto {
  @ApiProperty({ example: 'Parts' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: 'Parts from drawings' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ description: 'Readable but closed to imports (403)', default: false })
  @IsOptional()
  @IsBoolean()
  read_only?: boolean;

  @ApiProperty({ type: [NewFieldDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => NewFieldDto)
  fields: NewFieldDto[] = [];
}
