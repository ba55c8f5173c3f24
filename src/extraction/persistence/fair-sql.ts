/**
 * SQL pieces of fair scheduling (issue 13), beside job-sql.ts: which lane a job's message takes,
 * and which rows occupy an owner's window. Reprocessed jobs (issue 16) take the same path as bulk
 * files with a window of their own and the background lane.
 */
import { KIND, S } from './job-sql';

/** A single job whose reprocess has not settled (the API still shows its previous result). */
export const REPROCESSING = (alias: string) => `${alias}.reprocess_status = 'pending'`;

/** Its negation, true for the (null) jobs never reprocessed: `NOT REPROCESSING` would be null. */
export const NOT_REPROCESSING = (alias: string) =>
  `${alias}.reprocess_status IS DISTINCT FROM 'pending'`;

/**
 * The lane of a message re-enqueued by a sweep: bulk files take the bulk lane, reprocess attempts
 * the background lane. (Files of small bulks, interactive at release, go the bulk lane when a
 * sweep re-enqueues them: rare, harmless.)
 */
export const LANE_BY_KIND = (alias: string) =>
  `CASE WHEN ${alias}.kind = ${KIND.file} THEN 'bulk' WHEN ${REPROCESSING(alias)} THEN 'background' ELSE 'interactive' END AS lane`;

/** Bulk files handed to the queue and not settled: what fills an owner's window. */
export const RELEASED_ACTIVE = (alias: string) =>
  `${alias}.kind = ${KIND.file} AND ${alias}.status IN (${S.pending}, ${S.processing}) AND ${alias}.released_at IS NOT NULL`;

/** Bulk files waiting in PostgreSQL for their owner's window. */
export const UNRELEASED = (alias: string) =>
  `${alias}.kind = ${KIND.file} AND ${alias}.status = ${S.pending} AND ${alias}.released_at IS NULL`;

/** Reprocess attempts handed to the queue and not settled: what fills an owner's reprocess window. */
export const REPROCESS_RELEASED_ACTIVE = (alias: string) =>
  `${REPROCESSING(alias)} AND ${alias}.status IN (${S.pending}, ${S.processing}) AND ${alias}.released_at IS NOT NULL`;

/** Reprocess attempts waiting in PostgreSQL for their owner's reprocess window. */
export const REPROCESS_UNRELEASED = (alias: string) =>
  `${REPROCESSING(alias)} AND ${alias}.status = ${S.pending} AND ${alias}.released_at IS NULL`;

/** Rows the reconciler leaves alone: they wait for a window on purpose. */
export const WAITING_FOR_WINDOW = (alias: string) =>
  `((${UNRELEASED(alias)}) OR COALESCE(${REPROCESS_UNRELEASED(alias)}, false))`;
