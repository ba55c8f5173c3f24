/**
 * A record of a built-in table: values as JSONB keyed by field id, and where it came from (job,
 * file, row, record type). One record per (table, job, record type, row) unless imported on
 * purpose as a copy (`allow_duplicates`): kept by the ledger in data_table_source_rows, not by a
 * unique index here (the index cost two thirds of an import's insert time).
 */
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'data_table_records' })
@Index('ix_data_table_records_table_id', ['tableId', 'id'])
export class DataTableRecord {
  /** Insertion order, which pages follow. */
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_data_table_records',
  })
  id!: string;

  /**
   * No foreign key: its per-row check cost a fifth of an import's insert time (bench/import).
   * BuiltinTableStore.deleteTable deletes a table's records with it, under the table's row lock.
   */
  @Column({ name: 'table_id', type: 'uuid' })
  tableId!: string;

  @Column({ type: 'jsonb' })
  values!: Record<string, unknown>;

  /** No foreign key: a job may be deleted (retention) while its imported records stay. */
  @Column({ name: 'source_job_id', type: 'uuid', nullable: true })
  sourceJobId!: string | null;

  @Column({ name: 'source_file', type: 'text', nullable: true })
  sourceFile!: string | null;

  @Column({ name: 'row_index', type: 'integer', nullable: true })
  rowIndex!: number | null;

  @Column({ name: 'record_type', type: 'text', nullable: true })
  recordType!: string | null;

  @Column({ name: 'is_copy', type: 'boolean', default: false })
  isCopy!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
