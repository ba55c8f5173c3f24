/**
 * SQL of import runs. Every change after creation is fenced by status and attempt, so a worker
 * whose lease ran out cannot report progress for, complete or fail a run that was claimed again.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ImportRunStatus } from '../entities/import-run.entity';

export interface ImportRunRow {
  id: string;
  owner_id: string;
  status: ImportRunStatus;
  kind: 'job' | 'bulk';
  command: Record<string, unknown>;
  total_rows: number;
  processed_rows: number;
  result: Record<string, unknown> | null;
  error_code: string | null;
  error_message: string | null;
  attempt: number;
  created_at: Date;
  completed_at: Date | null;
}

const COLUMNS = `id, owner_id, status, kind, command, total_rows, processed_rows, result, error_code,
  error_message, attempt, created_at, completed_at`;

@Injectable()
export class ImportRunsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(
    ownerId: string,
    kind: 'job' | 'bulk',
    command: object,
    totalRows: number,
  ): Promise<ImportRunRow> {
    const [row] = await this.dataSource.query<ImportRunRow[]>(
      `INSERT INTO import_runs (owner_id, kind, command, total_rows) VALUES ($1, $2, $3, $4)
       RETURNING ${COLUMNS}`,
      [ownerId, kind, JSON.stringify(command), totalRows],
    );
    return row;
  }

  async get(ownerId: string, id: string): Promise<ImportRunRow | null> {
    const rows = await this.dataSource.query<ImportRunRow[]>(
      `SELECT ${COLUMNS} FROM import_runs WHERE id = $1 AND owner_id = $2`,
      [id, ownerId],
    );
    return rows[0] ?? null;
  }

  /** Runs by id, any owner (the event streams' shared poll; callers checked the owner). */
  async getMany(ids: string[]): Promise<ImportRunRow[]> {
    if (ids.length === 0) return [];
    return this.dataSource.query<ImportRunRow[]>(
      `SELECT ${COLUMNS} FROM import_runs WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** pending → processing for the attempt the message names; null when no longer claimable. */
  async claim(id: string, attempt: number, leaseSeconds: number): Promise<ImportRunRow | null> {
    const rows = await this.dataSource.query<ImportRunRow[]>(
      `WITH claimed AS (
         UPDATE import_runs SET status = 'processing', attempt = attempt + 1, processed_rows = 0,
           lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
         WHERE id = $1 AND status = 'pending' AND attempt = $2 RETURNING ${COLUMNS})
       SELECT * FROM claimed`,
      [id, attempt, leaseSeconds],
    );
    return rows[0] ?? null;
  }

  /** Progress, renewing the lease; false when the run is no longer this attempt's. */
  async progress(
    id: string,
    attempt: number,
    processed: number,
    leaseSeconds: number,
  ): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `WITH moved AS (
         UPDATE import_runs SET processed_rows = $3, updated_at = now(),
           lease_expires_at = now() + make_interval(secs => $4)
         WHERE id = $1 AND attempt = $2 AND status = 'processing' RETURNING id)
       SELECT id FROM moved`,
      [id, attempt, processed, leaseSeconds],
    );
    return rows.length > 0;
  }

  async finish(
    id: string,
    attempt: number,
    outcome: { result: object } | { errorCode: string; errorMessage: string },
  ): Promise<boolean> {
    const ok = 'result' in outcome;
    const rows = await this.dataSource.query<unknown[]>(
      `WITH done AS (
         UPDATE import_runs SET status = $3, result = $4, error_code = $5, error_message = $6,
           processed_rows = CASE WHEN $3 = 'completed' THEN total_rows ELSE processed_rows END,
           lease_expires_at = NULL, completed_at = now(), updated_at = now()
         WHERE id = $1 AND attempt = $2 AND status = 'processing' RETURNING id)
       SELECT id FROM done`,
      [
        id,
        attempt,
        ok ? 'completed' : 'failed',
        ok ? JSON.stringify(outcome.result) : null,
        ok ? null : outcome.errorCode,
        ok ? null : outcome.errorMessage,
      ],
    );
    return rows.length > 0;
  }

  /** Runs whose worker was lost (lease over) back to pending; returns what to enqueue. */
  async releaseExpired(limit: number): Promise<{ id: string; attempt: number }[]> {
    return this.dataSource.query<{ id: string; attempt: number }[]>(
      `WITH expired AS (
         SELECT id FROM import_runs WHERE status = 'processing' AND lease_expires_at < now()
         ORDER BY lease_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED),
       released AS (
         UPDATE import_runs r SET status = 'pending', lease_expires_at = NULL, updated_at = now()
         FROM expired WHERE r.id = expired.id RETURNING r.id, r.attempt)
       SELECT id, attempt FROM released`,
      [limit],
    );
  }

  /** Pending runs untouched for a while (their message may be lost): to enqueue again. */
  async stalePending(
    olderThanSeconds: number,
    limit: number,
  ): Promise<{ id: string; attempt: number }[]> {
    return this.dataSource.query<{ id: string; attempt: number }[]>(
      `SELECT id, attempt FROM import_runs
       WHERE status = 'pending' AND updated_at < now() - make_interval(secs => $1)
       ORDER BY updated_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
  }
}
