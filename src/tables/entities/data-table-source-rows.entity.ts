/**
 * Which rows of a job (of one record type) are already in a table: the "never twice" ledger of
 * imports. One row per (table, job, record type); the import locks it, skips the indices it holds
 * and adds the ones it inserts, in the import's transaction.
 */
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'data_table_source_rows' })
export class DataTableSourceRows {
  @PrimaryColumn({
    name: 'table_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_data_table_source_rows',
  })
  tableId!: string;

  @PrimaryColumn({
    name: 'source_job_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_data_table_source_rows',
  })
  sourceJobId!: string;

  @PrimaryColumn({
    name: 'record_type',
    type: 'text',
    primaryKeyConstraintName: 'pk_data_table_source_rows',
  })
  recordType!: string;

  /** Imported row indices as ranges, e.g. {[0,100000)}: a few ranges however many rows. */
  @Column({ name: 'row_indices', type: 'int4multirange', default: () => `'{}'` })
  rowIndices!: string;
}
