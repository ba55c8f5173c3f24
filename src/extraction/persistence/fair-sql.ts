/**
 * SQL pieces of fair scheduling (issue 13), beside job-sql.ts: which lane a job's message takes,
 * and which rows occupy an owner's window.
 */
import { KIND, S } from './job-sql';

/**
 * The lane of a message re-enqueued by a sweep: bulk files take the bulk lane. (Files of small
 * bulks, interactive at release, go the bulk lane when a sweep re-enqueues them: rare, harmless.)
 */
export const LANE_BY_KIND = (alias: string) =>
  `CASE WHEN ${alias}.kind = ${KIND.file} THEN 'bulk' ELSE 'interactive' END AS lane`;

/** Bulk files handed to the queue and not settled: what fills an owner's window. */
export const RELEASED_ACTIVE = (alias: string) =>
  `${alias}.kind = ${KIND.file} AND ${alias}.status IN (${S.pending}, ${S.processing}) AND ${alias}.released_at IS NOT NULL`;

/** Bulk files waiting in PostgreSQL for their owner's window. */
export const UNRELEASED = (alias: string) =>
  `${alias}.kind = ${KIND.file} AND ${alias}.status = ${S.pending} AND ${alias}.released_at IS NULL`;
