/**
 * SQL of the built-in table store: tables, fields and records of one owner. Every statement is
 * scoped by owner (a table of another user is "not found"); records go in as one multi-row INSERT
 * per batch (unnest of parallel arrays), skipping a job row already in the table.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FieldType } from '../field-types';
import { TableNotFoundError } from '../table-errors';
import { InsertOutcome, NewField, RecordToInsert, TableField } from '../table-gateway';

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
   * One multi-row INSERT. A row of a job already in the table (same record type and row index) is
   * skipped, or with allowDuplicates inserted again as a copy.
   */
  async insertRecords(
    tx: EntityManager,
    tableId: string,
    records: RecordToInsert[],
    allowDuplicates: boolean,
  ): Promise<InsertOutcome> {
    if (records.length === 0) return { inserted: 0, duplicateRowIndices: [] };
    const first = records[0].provenance;
    const uniform = records.every(
      (r) =>
        r.provenance.source_job_id === first.source_job_id &&
        r.provenance.source_file === first.source_file &&
        r.provenance.record_type === first.record_type,
    );
    // A batch of one origin (the usual case) sends its provenance once, not once per row.
    const inserted = uniform
      ? await tx.query<{ source_job_id: string | null; record_type: string; row_index: number }[]>(
          `INSERT INTO data_table_records (table_id, "values", source_job_id, source_file, row_index, record_type)
           SELECT $1, r.v, $3::uuid, $4::text, r.i, $5::text
           FROM unnest($2::jsonb[], $6::int[]) AS r(v, i)
           ON CONFLICT (table_id, source_job_id, record_type, row_index)
             WHERE "is_copy" = false AND "source_job_id" IS NOT NULL DO NOTHING
           RETURNING source_job_id, record_type, row_index`,
          [
            tableId,
            records.map((r) => JSON.stringify(r.values)),
            first.source_job_id,
            first.source_file,
            first.record_type,
            records.map((r) => r.provenance.row_index),
          ],
        )
      : await tx.query<{ source_job_id: string | null; record_type: string; row_index: number }[]>(
          `INSERT INTO data_table_records (table_id, "values", source_job_id, source_file, row_index, record_type)
           SELECT $1, r.v, r.j, r.f, r.i, r.t
           FROM unnest($2::jsonb[], $3::uuid[], $4::text[], $5::int[], $6::text[]) AS r(v, j, f, i, t)
           ON CONFLICT (table_id, source_job_id, record_type, row_index)
             WHERE "is_copy" = false AND "source_job_id" IS NOT NULL DO NOTHING
           RETURNING source_job_id, record_type, row_index`,
          this.columns(tableId, records),
        );
    if (inserted.length === records.length) {
      return { inserted: inserted.length, duplicateRowIndices: [] };
    }
    const key = (j: string | null, t: string, i: number) => `${j ?? ''}\u0000${t}\u0000${i}`;
    const done = new Set(inserted.map((r) => key(r.source_job_id, r.record_type, r.row_index)));
    const duplicates = records.filter(
      (r) =>
        !done.has(
          key(r.provenance.source_job_id, r.provenance.record_type, r.provenance.row_index),
        ),
    );
    if (!allowDuplicates) {
      return {
        inserted: inserted.length,
        duplicateRowIndices: duplicates.map((r) => r.provenance.row_index),
      };
    }
    await tx.query(
      `INSERT INTO data_table_records (table_id, "values", source_job_id, source_file, row_index, record_type, is_copy)
       SELECT $1, r.v, r.j, r.f, r.i, r.t, true
       FROM unnest($2::jsonb[], $3::uuid[], $4::text[], $5::int[], $6::text[]) AS r(v, j, f, i, t)`,
      this.columns(tableId, duplicates),
    );
    return { inserted: records.length, duplicateRowIndices: [] };
  }

  private columns(tableId: string, records: RecordToInsert[]): unknown[] {
    return [
      tableId,
      records.map((r) => JSON.stringify(r.values)),
      records.map((r) => r.provenance.source_job_id),
      records.map((r) => r.provenance.source_file),
      records.map((r) => r.provenance.row_index),
      records.map((r) => r.provenance.record_type),
    ];
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
