/** A field (column) of a built-in table; records key their values by the field id. */
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { FieldType } from '../field-types';
import { DataTable } from './data-table.entity';

@Entity({ name: 'data_table_fields' })
@Index('uq_data_table_fields_table_name', ['tableId', 'name'], { unique: true })
@Index('ix_data_table_fields_table_position', ['tableId', 'position'])
@Check(
  'ck_data_table_fields_type',
  `"type" IN ('text', 'number', 'dimension', 'date', 'url', 'email', 'boolean')`,
)
export class DataTableField {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_data_table_fields' })
  id!: string;

  @Column({ name: 'table_id', type: 'uuid' })
  tableId!: string;

  @ManyToOne(() => DataTable, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'table_id', foreignKeyConstraintName: 'fk_data_table_fields_table' })
  table?: DataTable;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  type!: FieldType;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Display order: creation order within the table. */
  @Column({ type: 'integer' })
  position!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
