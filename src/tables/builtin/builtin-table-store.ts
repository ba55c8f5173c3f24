/**
 * SQL of the built-in table store: tables, fields and records of one owner. Every statement is
 * scoped by owner (a table of another user is "not found"); records go in as one multi-row INSERT
 * per batch (unnest of parallel arrays), skipping a job row already in the table (its ledger).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FieldType } from '../field-types';
import { TableNotFoundError } from '../table-errors';
import { InsertOutcome, NewField, RecordToInsert, TableField } from '../table-gateway';
import { rangesTest, toRanges } from './row-ranges';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StoredTable {
  id: string;
  name: string;
  description: string | null;
  readOnly: boolean;
  createdAt: Date;
  fields: TableField[];
}

export interface StoredRecord {
  id: string;
  values: Record<string, unknown>;
  sourceJobId: string | null;
  sourceFile: string | null;
  rowIndex: number | null;
  recordType: string | null;
  createdAt: Date;
}

interface TableRow {
  id: string;
  name: string;
  description: string | null;
  read_only: boolean;
  created_at: Date;
}

interface FieldRow {
  id: string;
  table_id: string;
  name: string;
  type: FieldType;
  description: string | null;
}

interface RecordRow {
  id: string;
  values: Record<string, unknown>;
  source_job_id: string | null;
  source_file: string | null;
  row_index: number | null;
  record_type: string | null;
  created_at: Date;
}

/** The ledgers an import has locked, per (job, record type): which row indices they held. */
export type LedgerCache = Map<string, (rowIndex: number) => boolean>;

/** Records of a batch grouped by origin (job, file, record type), in order. */
function byOrigin(records: RecordToInsert[]): RecordToInsert[][] {
  if (records.length === 0) return [];
  const first = records[0].provenance;
  const same = (r: RecordToInsert) =>
    r.provenance.source_job_id === first.source_job_id &&
    r.provenance.source_file === first.source_file &&
    r.provenance.record_type === first.record_type;
  if (records.every(same)) return [records]; // an import's batch: one origin
  const groups = new Map<string, RecordToInsert[]>();
  for (const r of records) {
    const { source_job_id: j, source_file: f, record_type: t } = r.provenance;
    const key = JSON.stringify([j, f, t]);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()];
}

const toField = (r: FieldRow): TableField => ({
  id: r.id,
  name: r.name,
  type: r.type,
  description: r.description,
});

@Injectable()
export class BuiltinTableStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs work in one transaction; the table row is locked against a concurrent delete. */
  async inTransaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async createTable(
    ownerId: string,
    input: { name: string; description?: string | null; readOnly?: boolean; fields: NewField[] },
  ): Promise<StoredTable> {
    return this.dataSource.transaction(async (tx) => {
      const [row] = await tx.query<TableRow[]>(
        `INSERT INTO data_tables (owner_id, name, description, read_only) VALUES ($1, $2, $3, $4)
         RETURNING id, name, description, read_only, created_at`,
        [ownerId, input.name, input.description ?? null, input.readOnly ?? false],
      );
      const fields = await this.addFields(tx, row.id, input.fields);
      return this.toTable(row, fields);
    });
  }

  async listTables(
    ownerId: string,
    page: number,
    pageSize: number,
  ): Promise<{ items: StoredTable[]; total: number }> {
    const rows = await this.dataSource.query<(TableRow & { total: number })[]>(
      `SELECT id, name, description, read_only, created_at, count(*) OVER ()::int AS total
       FROM data_tables WHERE owner_id = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3`,
      [ownerId, pageSize, (page - 1) * pageSize],
    );
    const total =
      rows[0]?.total ??
      Number(
        (
          await this.dataSource.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM data_tables WHERE owner_id = $1`,
            [ownerId],
          )
        )[0].n,
      );
    const fields = await this.fieldsOf(
      this.dataSource.manager,
      rows.map((r) => r.id),
    );
    return { items: rows.map((r) => this.toTable(r, fields.get(r.id) ?? [])), total };
  }

  /** The table with its fields; TableNotFoundError when missing or another owner's. */
  async getTable(ownerId: string, tableId: string, tx?: EntityManager): Promise<StoredTable> {
    const manager = tx ?? this.dataSource.manager;
    if (!UUID.test(tableId)) throw new TableNotFoundError(tableId);
    const [row] = await manager.query<TableRow[]>(
      `SELECT id, name, description, read_only, created_at FROM data_tables
       WHERE id = $1 AND owner_id = $2${tx ? ' FOR SHARE' : ''}`,
      [tableId, ownerId],
    );
    if (!row) throw new TableNotFoundError(tableId);
    const fields = await this.fieldsOf(manager, [row.id]);
    return this.toTable(row, fields.get(row.id) ?? []);
  }

  async countRecords(tableId: string): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM data_table_records WHERE table_id = $1`,
      [tableId],
    );
    return row.n;
  }

  async listRecords(
    ownerId: string,
    tableId: string,
    page: number,
    pageSize: number,
  ): Promise<{ items: StoredRecord[]; total: number }> {
    await this.getTable(ownerId, tableId);
    const rows = await this.dataSource.query<RecordRow[]>(
      `SELECT id, "values", source_job_id, source_file, row_index, record_type, created_at
       FROM data_table_records WHERE table_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
      [tableId, pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: String(r.id),
        values: r.values,
        sourceJobId: r.source_job_id,
        sourceFile: r.source_file,
        rowIndex: r.row_index,
        recordType: r.record_type,
        createdAt: r.created_at,
      })),
      total: await this.countRecords(tableId),
    };
  }

  /**
   * Deletes a table with its fields and records. The table row is locked first, so an import
   * writing into it (which holds it FOR SHARE) finishes before its records are deleted.
   */
  async deleteTable(ownerId: string, tableId: string): Promise<void> {
    if (!UUID.test(tableId)) throw new TableNotFoundError(tableId);
    await this.dataSource.transaction(async (tx) => {
      const locked = await tx.query<unknown[]>(
        `SELECT id FROM data_tables WHERE id = $1 AND owner_id = $2 FOR UPDATE`,
        [tableId, ownerId],
      );
      if (locked.length === 0) throw new TableNotFoundError(tableId);
      await tx.query(`DELETE FROM data_table_records WHERE table_id = $1`, [tableId]);
      await tx.query(`DELETE FROM data_table_source_rows WHERE table_id = $1`, [tableId]);
      await tx.query(`DELETE FROM data_tables WHERE id = $1`, [tableId]);
    });
  }

  /** Which of `values` the field holds (as text) in some record of the table. */
  async existingValues(tableId: string, fieldId: string, values: string[]): Promise<Set<string>> {
    if (values.length === 0) return new Set();
    const rows = await this.dataSource.query<{ v: string }[]>(
      `SELECT DISTINCT "values" ->> $2 AS v FROM data_table_records
       WHERE table_id = $1 AND "values" ->> $2 = ANY($3::text[])`,
      [tableId, fieldId, values],
    );
    return new Set(rows.map((r) => r.v));
  }

  /** Adds fields after the existing ones; a name already there returns that field. */
  async addFields(tx: EntityManager, tableId: string, fields: NewField[]): Promise<TableField[]> {
    if (fields.length === 0) return [];
    const rows = await tx.query<FieldRow[]>(
      `INSERT INTO data_table_fields (table_id, name, type, description, position)
       SELECT $1, f.name, f.type, f.description,
              coalesce((SELECT max(position) FROM data_table_fields WHERE table_id = $1), -1) + f.ord
       FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS f(name, type, description, ord)
       ON CONFLICT (table_id, name) DO UPDATE SET name = EXCLUDED.name
       RETURNING id, table_id, name, type, description`,
      [
        tableId,
        fields.map((f) => f.name),
        fields.map((f) => f.type),
        fields.map((f) => f.description ?? null),
      ],
    );
    const byName = new Map(rows.map((r) => [r.name, toField(r)]));
    return fields.map((f) => byName.get(f.name)!);
  }

  /**
   * One multi-row INSERT per origin (job, file, record type) of the batch. A job's row already in
   * the table (per the ledger data_table_source_rows) is skipped, or with allowDuplicates inserted
   * again as a copy. The ledger row is locked (created if new) before it is read, so two imports
   * of the same job into the same table take turns and cannot both insert a row.
   */
  async insertRecords(
    tx: EntityManager,
    tableId: string,
    records: RecordToInsert[],
    allowDuplicates: boolean,
    ledgers: LedgerCache = new Map(),
  ): Promise<InsertOutcome> {
    const outcome: InsertOutcome = { inserted: 0, duplicateRowIndices: [] };
    for (const group of byOrigin(records)) {
      const one = await this.insertOrigin(tx, tableId, group, allowDuplicates, ledgers);
      outcome.inserted += one.inserted;
      outcome.duplicateRowIndices.push(...one.duplicateRowIndices);
    }
    return outcome;
  }

  private async insertOrigin(
    tx: EntityManager,
    tableId: string,
    records: RecordToInsert[],
    allowDuplicates: boolean,
    ledgers: LedgerCache,
  ): Promise<InsertOutcome> {
    const { source_job_id: jobId, source_file: file, record_type: type } = records[0].provenance;
    const indices = records.map((r) => r.provenance.row_index);
    // Rows posted without a job (BOM import) have no ledger: each request is its own rows.
    let seen: (i: number) => boolean = () => false;
    if (jobId !== null) {
      // Locked and read at the origin's first batch; the lock is held until the transaction ends,
      // so what it held then is what it holds now (this import's own rows are each sent once).
      const key = JSON.stringify([jobId, type]);
      let held = ledgers.get(key);
      if (!held) {
        const [ledger] = await tx.query<{ held: string }[]>(
          `INSERT INTO data_table_source_rows AS l (table_id, source_job_id, record_type)
           VALUES ($1, $2, $3)
           ON CONFLICT (table_id, source_job_id, record_type) DO UPDATE SET row_indices = l.row_indices
           RETURNING l.row_indices::text AS held`,
          [tableId, jobId, type],
        );
        held = rangesTest(ledger.held);
        ledgers.set(key, held);
      }
      seen = held;
    }
    const copy = records.map((r) => seen(r.provenance.row_index));
    const duplicateRowIndices = indices.filter((_, k) => copy[k]);
    const keep = allowDuplicates ? records.map(() => true) : copy.map((c) => !c);
    const kept = records.filter((_, k) => keep[k]);
    if (kept.length > 0) {
      const fresh = indices.filter((_, k) => !copy[k]);
      // The records and the ledger's new ranges in one statement (a data-modifying CTE always
      // runs). The values go as one JSON array, not a jsonb[]: a jsonb[] parameter is escaped
      // element by element in this process, which cost more than the INSERT itself.
      await tx.query(
        `WITH added AS (
           INSERT INTO data_table_records (table_id, "values", source_job_id, source_file, row_index, record_type, is_copy)
           SELECT $1, r.v, $3::uuid, $4::text, r.i, $5::text, r.i = ANY($7::int[])
           FROM ROWS FROM (jsonb_array_elements($2::jsonb), unnest($6::int[])) AS r(v, i))
         UPDATE data_table_source_rows SET row_indices = row_indices + $8::int4multirange
         WHERE $3::uuid IS NOT NULL AND table_id = $1 AND source_job_id = $3 AND record_type = $5`,
        [
          tableId,
          JSON.stringify(kept.map((r) => r.values)),
          jobId,
          file,
          type,
          kept.map((r) => r.provenance.row_index),
          duplicateRowIndices,
          toRanges(fresh),
        ],
      );
    }
    return {
      inserted: kept.length,
      duplicateRowIndices: allowDuplicates ? [] : duplicateRowIndices,
    };
  }

  private async fieldsOf(
    manager: EntityManager,
    tableIds: string[],
  ): Promise<Map<string, TableField[]>> {
    const byTable = new Map<string, TableField[]>();
    if (tableIds.length === 0) return byTable;
    const rows = await manager.query<FieldRow[]>(
      `SELECT id, table_id, name, type, description FROM data_table_fields
       WHERE table_id = ANY($1::uuid[]) ORDER BY table_id, position`,
      [tableIds],
    );
    for (const row of rows) {
      const list = byTable.get(row.table_id) ?? [];
      list.push(toField(row));
      byTable.set(row.table_id, list);
    }
    return byTable;
  }

  private toTable(row: TableRow, fields: TableField[]): StoredTable {
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      readOnly: row.read_only,
      createdAt: row.created_at,
      fields,
    };
  }
}
