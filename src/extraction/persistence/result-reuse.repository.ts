/**
 * SQL of result reuse: recording which extractor version and options an attempt runs with (and
 * which job's result it takes), finding a completed result to reuse, and telling which stored
 * objects completed jobs still reference (reuse shares result objects between jobs).
 */
import { Injectable } from '@nestjs/common';
import { ExtractionFormat } from '../entities/job-enums';
import { JobRef } from '../jobs/job.types';
import { JobDatabase } from './job-database';
import { S } from './job-sql';

/** The completed job whose result an attempt takes instead of extracting. */
export interface ReuseSource {
  id: string;
  filename: string | null;
  result: Record<string, unknown> | null;
  resultPath: string | null;
}

export interface ReuseKey {
  contentSha256: string;
  format: ExtractionFormat;
  extractorVersion: number;
  optionsDigest: string;
  /** Only this owner's results (scope `owner`); null = any owner (scope `global`). */
  ownerId: string | null;
}

@Injectable()
export class ResultReuseRepository {
  constructor(private readonly db: JobDatabase) {}

  /**
   * Records the version and options digest on the running attempt and, when `key` is given, looks
   * for a completed result with the same key; the found job's id goes to `reused_from` in the
   * same statement. `attemptHeld` is false when the attempt is no longer this worker's.
   */
  async prepareAttempt(
    ref: JobRef,
    extractorVersion: number,
    optionsDigest: string,
    key: ReuseKey | null,
  ): Promise<{ attemptHeld: boolean; source: ReuseSource | null }> {
    const rows = await this.db.run(
      `WITH source AS (
         SELECT s.id, s.filename, s.result, s.result_path FROM extraction_jobs s
         WHERE $5::boolean AND s.status = ${S.completed} AND s.content_sha256 = $6
           AND s.format = $7::extraction_format AND s.extractor_version = $3 AND s.options_digest = $4
           AND ($8::text IS NULL OR s.owner_id = $8) AND s.id <> $1
         ORDER BY s.completed_at DESC LIMIT 1
       ), attempt AS (
         UPDATE extraction_jobs j SET extractor_version = $3, options_digest = $4,
           reused_from = (SELECT id FROM source)
         WHERE j.id = $1 AND j.attempt = $2 AND j.status = ${S.processing}
         RETURNING j.id
       )
       SELECT (SELECT count(*)::int FROM attempt) AS held, s.id, s.filename, s.result, s.result_path
       FROM (SELECT 1) one LEFT JOIN source s ON true`,
      [
        ref.id,
        ref.attempt,
        extractorVersion,
        optionsDigest,
        key !== null,
        key?.contentSha256 ?? null,
        key?.format ?? null,
        key?.ownerId ?? null,
      ],
    );
    const row = rows[0];
    const attemptHeld = Number(row.held) === 1;
    if (!attemptHeld || row.id === null || row.id === undefined)
      return { attemptHeld, source: null };
    return {
      attemptHeld,
      source: {
        id: row.id as string,
        filename: (row.filename as string | null) ?? null,
        result: (row.result as Record<string, unknown> | null) ?? null,
        resultPath: (row.result_path as string | null) ?? null,
      },
    };
  }

  /** The given storage URLs that some job still names as its file or its result. */
  async stillReferenced(urls: string[]): Promise<Set<string>> {
    if (urls.length === 0) return new Set();
    const rows = await this.db.run(
      `SELECT u.url FROM unnest($1::text[]) AS u(url)
       WHERE EXISTS (SELECT 1 FROM extraction_jobs j WHERE j.file_url = u.url)
          OR EXISTS (SELECT 1 FROM extraction_jobs j WHERE j.result_path = u.url)`,
      [urls],
    );
    return new Set(rows.map((r) => r.url as string));
  }
}
