/** SQL pieces shared by the job repositories; the status lists come from the state machine. */
import { JobAction, statusesAllowing } from './domain/job-state-machine';
import { ACTIVE_STATUSES, JobStatus } from './entities/job-enums';

export const ALL_COLUMNS = 'j.*';
export const ACTIVE = ACTIVE_STATUSES as JobStatus[];
export const allowed = (action: JobAction) => statusesAllowing(action) as JobStatus[];

/**
 * Updates the parent of the child rows in CTE `child` when that child has just settled
 * (completed, failed or cancelled). `$now` is the parameter index of the current time.
 */
export function settleParentCte(now: number): string {
  return `parent AS (
    UPDATE extraction_jobs p SET
      processed_items = p.processed_items + 1,
      failed_items = p.failed_items + (c.status = 'failed')::int,
      cancelled_items = p.cancelled_items + (c.status = 'cancelled')::int,
      progress = round(100.0 * (p.processed_items + 1) / GREATEST(p.total_items, 1), 2),
      status = CASE
        WHEN p.status IN ('pending', 'processing') AND p.processed_items + 1 >= p.total_items THEN
          CASE WHEN (p.processed_items + 1) - (p.failed_items + (c.status = 'failed')::int)
                    - (p.cancelled_items + (c.status = 'cancelled')::int) > 0
               THEN 'completed' ELSE 'failed' END::extraction_job_status
        ELSE p.status END,
      completed_at = CASE
        WHEN p.status IN ('pending', 'processing') AND p.processed_items + 1 >= p.total_items
        THEN $${now}::timestamptz ELSE p.completed_at END,
      duration_ms = CASE
        WHEN p.status IN ('pending', 'processing') AND p.processed_items + 1 >= p.total_items
        THEN GREATEST(0, (extract(epoch FROM ($${now}::timestamptz - COALESCE(p.started_at, p.created_at))) * 1000))::int
        ELSE p.duration_ms END,
      -- Only when the parent settles: leaving indexed columns alone keeps the update of this hot
      -- row a heap-only (HOT) update, with no new index entries per finished child.
      updated_at = CASE
        WHEN p.status IN ('pending', 'processing') AND p.processed_items + 1 >= p.total_items
        THEN $${now}::timestamptz ELSE p.updated_at END
    FROM child c
    WHERE p.id = c.parent_job_id AND c.status IN ('completed', 'failed', 'cancelled')
    RETURNING p.id
  )`;
}
