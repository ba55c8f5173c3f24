/** SQL pieces shared by the job repositories; the status lists come from the state machine. */
import { JobAction, statusesAllowing } from '../jobs/job-state-machine';
import { ACTIVE_STATUSES, JobStatus } from '../entities/job-enums';

export const ALL_COLUMNS = 'j.*';
export const ACTIVE = ACTIVE_STATUSES as JobStatus[];
export const allowed = (action: JobAction) => statusesAllowing(action) as JobStatus[];

/**
 * Updates the bulk parents of the child rows in CTE `child` that have just settled (completed,
 * failed or cancelled), by the number of their children that did, so a statement may settle many
 * children of several parents at once. `$now` is the parameter index of the current time.
 * The parents are found by primary key only (`id = ANY(…)`, the new values from a subquery rather
 * than a join), so the plan stays a key lookup however it was made (see keyedPlans).
 */
export function settleParentCte(now: number): string {
  const settles = `p.status IN ('pending', 'processing') AND p.processed_items + s.settled >= p.total_items`;
  return `settled AS (
    SELECT parent_job_id AS id, count(*)::int AS settled,
      (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
      (count(*) FILTER (WHERE status = 'cancelled'))::int AS cancelled
    FROM child
    WHERE parent_job_id IS NOT NULL AND status IN ('completed', 'failed', 'cancelled')
    GROUP BY parent_job_id
  ), parent AS (
    UPDATE extraction_jobs p SET (processed_items, failed_items, cancelled_items, progress, status,
                                  completed_at, duration_ms, updated_at) = (
      SELECT p.processed_items + s.settled,
        p.failed_items + s.failed,
        p.cancelled_items + s.cancelled,
        round(100.0 * (p.processed_items + s.settled) / GREATEST(p.total_items, 1), 2),
        CASE WHEN ${settles} THEN
            CASE WHEN (p.processed_items + s.settled) - (p.failed_items + s.failed)
                      - (p.cancelled_items + s.cancelled) > 0
                 THEN 'completed' ELSE 'failed' END::extraction_job_status
          ELSE p.status END,
        CASE WHEN ${settles} THEN $${now}::timestamptz ELSE p.completed_at END,
        CASE WHEN ${settles}
          THEN GREATEST(0, (extract(epoch FROM ($${now}::timestamptz - COALESCE(p.started_at, p.created_at))) * 1000))::int
          ELSE p.duration_ms END,
        -- Only when the parent settles: leaving indexed columns alone keeps the update of this hot
        -- row a heap-only (HOT) update, with no new index entries per finished child.
        CASE WHEN ${settles} THEN $${now}::timestamptz ELSE p.updated_at END
      FROM settled s WHERE s.id = p.id)
    WHERE p.id = ANY(ARRAY(SELECT id FROM settled ORDER BY id))
    RETURNING p.id
  )`;
}
