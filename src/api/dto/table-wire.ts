/** Wire shapes of the built-in tables (snake_case), mapped from the store by plain functions. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageResponse } from './page.response';
import { FIELD_TYPES, FieldType } from '../../tables/field-types';
import { StoredRecord, StoredTable } from '../../tables/builtin/builtin-table-store';
import { TableField } from '../../tables/table-gateway';

export class FieldResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: FIELD_TYPES }) type!: FieldType;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
}

export class TableResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty() read_only!: boolean;
  @ApiProperty({ type: [FieldResponse] }) fields!: FieldResponse[];
  @ApiProperty() created_at!: string;
  @ApiPropertyOptional({ description: 'Only on GET /tables/{id}' }) record_count?: number;
}

export class TablePageResponse extends PageResponse {
  @ApiProperty({ type: [TableResponse] }) items!: TableResponse[];
}

export class RecordResponse {
  @ApiProperty({ example: '1' }) id!: string;
  @ApiProperty({ description: 'Values keyed by field id', type: Object })
  values!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) source_job_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) source_file!: string | null;
  @ApiProperty({ type: Number, nullable: true }) row_index!: number | null;
  @ApiProperty({ type: String, nullable: true }) record_type!: string | null;
  @ApiProperty() created_at!: string;
}

export class RecordPageResponse extends PageResponse {
  @ApiProperty({ type: [RecordResponse] }) items!: RecordResponse[];
}

export const toFieldResponse = (f: TableField): FieldResponse => ({
  id: f.id,
  name: f.name,
  type: f.type,
  description: f.description,
});

export function toTableResponse(table: StoredTable, recordCount?: number): TableResponse {
  return {
    id: table.id,
    name: table.name,
    description: table.description,
    read_only: table.readOnly,
    fields: table.fields.map(toFieldResponse),
    created_at: table.createdAt.toISOString(),
    ...(recordCount === undefined ? {} : { record_count: recordCount }),
  };
}

export function toRecordResponse(record: StoredRecord): RecordResponse {
  return {
    id: record.id,
    values: record.values,
    source_job_id: record.sourceJobId,
    source_file: record.sourceFile,
    row_index: record.rowIndex,
    record_type: record.recordType,
    created_at: record.createdAt.toISOString(),
  };
}
