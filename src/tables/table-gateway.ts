/**
 * The port through which imports write rows into tables. The built-in PostgreSQL store provides it
 * by default; a host application's own tables module provides the same token instead.
 */
import type { EntityManager } from 'typeorm';
import { FieldType } from './field-types';

/** Injection token of the TableGateway. */
export const TABLE_GATEWAY = Symbol('TABLE_GATEWAY');

export interface TableField {
  id: string;
  name: string;
  type: FieldType;
  description: string | null;
}

export interface TableDescription {
  id: string;
  name: string;
  fields: TableField[];
  /** False when the user may read the table but not add records or fields. */
  writable: boolean;
}

export interface NewField {
  name: string;
  type: FieldType;
  description?: string | null;
}

/** Where an imported record came from. */
export interface RecordProvenance {
  /** Null for rows posted directly (POST /bom/import), which have no job. */
  source_job_id: string | null;
  source_file: string | null;
  row_index: number;
  record_type: string;
}

export interface RecordToInsert {
  /** Values keyed by field id, already coerced to the field's type. */
  values: Record<string, unknown>;
  provenance: RecordProvenance;
}

export interface InsertOutcome {
  inserted: number;
  /** Row indices skipped because the same job row was already imported into the table. */
  duplicateRowIndices: number[];
}

/** Writes of one import; everything a writer does commits or rolls back together. */
export interface TableWriter {
  createFields(fields: NewField[]): Promise<TableField[]>;
  /** Inserts a batch; without allowDuplicates a (job, record type, row) already there is skipped. */
  insertRecords(
    records: RecordToInsert[],
    options: { allowDuplicates: boolean },
  ): Promise<InsertOutcome>;
  /**
   * The unit of work's transaction when the store lives in the service's own database (the
   * built-in one): what must commit with the records (the import.completed event) writes there.
   */
  transaction?: EntityManager;
}

export interface TableGateway {
  /** The table as the user sees it; TableNotFoundError when it is missing or not theirs. */
  describe(ownerId: string, tableId: string): Promise<TableDescription>;
  /**
   * Runs `work` in one unit of work (one transaction for the built-in store); throws
   * TableNotFoundError / TableForbiddenError before any write.
   */
  write<T>(ownerId: string, tableId: string, work: (writer: TableWriter) => Promise<T>): Promise<T>;
  /**
   * Which of `values` the field already holds in the table (BOM import `new_only`). Optional: a
   * gateway without it refuses `new_only` with 501.
   */
  existingValues?(
    ownerId: string,
    tableId: string,
    fieldId: string,
    values: string[],
  ): Promise<Set<string>>;
}
