/**
 * The release step of fair scheduling: bulk files wait as `pending` rows with `released_at` null
 * and are handed to the queue in a window per owner. One statement fills every owner's window,
 * round-robin across that owner's open bulks (the n-th waiting file of each bulk before the
 * n+1-th of any); files of small (interactive) bulks are released whole. Several instances may
 * release at once: a transaction-level advisory lock makes them take turns, and each turn's
 * statement starts after the previous turn committed, so it sees the window as it is now.
 * Reprocessed jobs (POST /jobs/reprocess) go through the same turn with a window of their own per
 * owner, in the background lane: a reprocess backlog never takes an owner's bulk window, and
 * owners share the reprocess throughput equally.
 */
import { Injectable } from '@nestjs/common';
import { JobRef, QueueLane } from '../jobs/job.types';
import { JobDatabase } from './job-database';
import { KIND, S } from './job-sql';
import {
  RELEASED_ACTIVE,
  REPROCESS_RELEASED_ACTIVE,
  REPROCESS_UNRELEASED,
  UNRELEASED,
} from './fair-sql';

/** Key of the advisory lock the release turns share (any constant; hashed from a name). */
const RELEASE_LOCK = `hashtext('extraction_jobs.bulk_release')`;

export interface ReleasedFile extends JobRef {
  lane: QueueLane;
  ownerId: string;
  /** Position in its owner's round-robin (1 = first): dispatch in this order. */
  turn: number;
}

@Injectable()
export class BulkReleaseRepository {
  constructor(private readonly db: JobDatabase) {}

  async release(
    now: Date,
    windowPerOwner: number,
    interactiveMax: number,
  ): Promise<ReleasedFile[]> {
    return this.db.transaction(async (runner) => {
      await runner.query(`SELECT pg_advisory_xact_lock(${RELEASE_LOCK})`);
      const rows = await this.db.run(
        `WITH open_bulk AS (
           SELECT p.id, p.owner_id, p.created_at, p.total_items <= $3 AS small
           FROM extraction_jobs p
           WHERE p.kind = ${KIND.bulk} AND p.status IN (${S.pending}, ${S.processing})
         ), waiting AS (
           SELECT b.owner_id, b.small, b.created_at AS bulk_created, w.id, w.pos
           FROM open_bulk b
           CROSS JOIN LATERAL (
             SELECT c.id, row_number() OVER (ORDER BY c.created_at, c.id) AS pos
             FROM extraction_jobs c
             WHERE c.parent_job_id = b.id AND ${UNRELEASED('c')}
             ORDER BY c.created_at, c.id
             LIMIT CASE WHEN b.small THEN NULL ELSE $2::int END
           ) w
         ), busy AS (
           -- Only owners with files waiting: nothing to count when every file is released.
           SELECT c.owner_id, count(*)::int AS n FROM extraction_jobs c
           WHERE ${RELEASED_ACTIVE('c')} AND c.owner_id = ANY(ARRAY(SELECT DISTINCT owner_id FROM waiting))
           GROUP BY c.owner_id
         ), ranked AS (
           SELECT w.id, w.small,
             row_number() OVER (PARTITION BY w.owner_id, w.small ORDER BY w.pos, w.bulk_created, w.id) AS turn,
             $2::int - COALESCE(busy.n, 0) AS room
           FROM waiting w LEFT JOIN busy ON busy.owner_id = w.owner_id
         ), picked AS (
           SELECT id FROM ranked WHERE small OR turn <= room
         )
         -- By primary key (the ids as an array): joining the CTE let the planner re-run it per row.
         UPDATE extraction_jobs j SET released_at = $1::timestamptz, updated_at = $1::timestamptz
         WHERE j.id = ANY(ARRAY(SELECT id FROM picked)) AND ${UNRELEASED('j')}
         RETURNING j.id, j.attempt, j.owner_id, j.parent_job_id, j.created_at,
           (SELECT lp.total_items FROM extraction_jobs lp WHERE lp.id = j.parent_job_id) <= $3 AS small`,
        [now, windowPerOwner, interactiveMax],
        runner,
      );
      const reprocess = await this.db.run(
        `WITH waiting_owner AS (
           SELECT DISTINCT r.owner_id FROM extraction_jobs r WHERE ${REPROCESS_UNRELEASED('r')}
         ), busy AS (
           SELECT c.owner_id, count(*)::int AS n FROM extraction_jobs c
           WHERE ${REPROCESS_RELEASED_ACTIVE('c')} AND c.owner_id = ANY(ARRAY(SELECT owner_id FROM waiting_owner))
           GROUP BY c.owner_id
         ), picked AS (
           SELECT w.id FROM waiting_owner o LEFT JOIN busy ON busy.owner_id = o.owner_id
           CROSS JOIN LATERAL (
             SELECT r.id FROM extraction_jobs r
             WHERE r.owner_id = o.owner_id AND ${REPROCESS_UNRELEASED('r')}
             ORDER BY r.reprocess_requested_at, r.id
             LIMIT GREATEST(0, $2::int - COALESCE(busy.n, 0))
           ) w
         )
         UPDATE extraction_jobs j SET released_at = $1::timestamptz, updated_at = $1::timestamptz
         WHERE j.id = ANY(ARRAY(SELECT id FROM picked)) AND ${REPROCESS_UNRELEASED('j')}
         RETURNING j.id, j.attempt, j.owner_id, j.reprocess_requested_at`,
        [now, windowPerOwner],
        runner,
      );
      return [...roundRobin(rows), ...reprocessOrder(reprocess)];
    });
  }
}

/** Reprocess attempts: the first of each owner before the second of any (background lane). */
function reprocessOrder(rows: Record<string, unknown>[]): ReleasedFile[] {
  const seen = new Map<string, number>();
  return [...rows]
    .sort(
      (a, b) =>
        (a.reprocess_requested_at as Date).getTime() -
          (b.reprocess_requested_at as Date).getTime() ||
        (a.id as string).localeCompare(b.id as string),
    )
    .map((r): ReleasedFile => {
      const ownerId = r.owner_id as string;
      const turn = (seen.get(ownerId) ?? 0) + 1;
      seen.set(ownerId, turn);
      return { id: r.id as string, attempt: Number(r.attempt), ownerId, lane: 'background', turn };
    })
    .sort((a, b) => a.turn - b.turn || a.ownerId.localeCompare(b.ownerId));
}

/**
 * Dispatch order of released files: the first of each (owner, bulk) before the second of any, so
 * the queue interleaves owners and their bulks as the window allotted them.
 */
function roundRobin(rows: Record<string, unknown>[]): ReleasedFile[] {
  const sorted = [...rows].sort(
    (a, b) => (a.created_at as Date).getTime() - (b.created_at as Date).getTime(),
  );
  const seen = new Map<string, number>();
  const files = sorted.map((r): ReleasedFile => {
    const bulk = `${r.owner_id as string}/${r.parent_job_id as string}`;
    const turn = (seen.get(bulk) ?? 0) + 1;
    seen.set(bulk, turn);
    return {
      id: r.id as string,
      attempt: Number(r.attempt),
      ownerId: r.owner_id as string,
      lane: r.small ? 'interactive' : 'bulk',
      turn,
    };
  });
  return files.sort((a, b) => a.turn - b.turn || a.ownerId.localeCompare(b.ownerId));
}
