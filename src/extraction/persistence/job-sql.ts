/**
 * SQL pieces of the job repositories, built once at module load from the typed rules in jobs/:
 * status literals from the enum, status lists from the state machine, the bulk formulas from
 * bulk-progress.ts and the backoff from backoff.ts. Statuses are interpolated as literals (not
 * parameters) so that the partial indexes, whose predicates name them, still match.
 * test/integration/job-sql.int-spec.ts evaluates each formula in PostgreSQL against its
 * TypeScript twin.
 */
import {
  ACTIVE_STATUSES,
  FINAL_STATUSES,
  JOB_KINDS,
  JOB_STATUSES,
  JobKind,
  JobStatus,
  SETTLED_STATUSES,
} from '../entities/job-enums';
import { OPEN_BULK_STATUSES } from '../jobs/bulk-progress';
import { JobAction, statusAfter, statusesAllowing } from '../jobs/job-state-machine';

const quote = (value: string): string => `'${value}'`;

/** Status literals: `S.pending` is `'pending'`. A misspelt status does not compile. */
export const S = Object.fromEntries(JOB_STATUSES.map((s) => [s, quote(s)])) as Record<
  JobStatus,
  string
>;

/** Kind literals: `KIND.bulk` is `'bulk'`. */
export const KIND = Object.fromEntries(JOB_KINDS.map((k) => [k, quote(k)])) as Record<
  JobKind,
  string
>;

/** `('a', 'b')`, for `IN` lists. */
export const sqlList = (values: readonly string[]): string => `(${values.map(quote).join(', ')})`;

export const ACTIVE_SQL = sqlList(ACTIVE_STATUSES);
export const SETTLED_SQL = sqlList(SETTLED_STATUSES);
export const FINAL_SQL = sqlList(FINAL_STATUSES);

/** Statuses an action may start from, as a parameter array (`status = ANY($n)`). */
export const allowed = (action: JobAction): JobStatus[] => [...statusesAllowing(action)];

/** The status an action leads to, as a literal (`SET status = ${to('claim')}`). */
export const to = (action: JobAction): string => S[statusAfter(action)];

export const ALL_COLUMNS = 'j.*';

/** bulkProgress(): settled children as a percentage with two decimals; an empty bulk is done. */
export function progressSql(processed: string, total: string): string {
  return `CASE WHEN ${total} <= 0 THEN 100 ELSE round(100.0 * (${processed}) / (${total}), 2) END`;
}

/** finalBulkStatus(): completed when at least one child completed, else failed. */
export function finalBulkStatusSql(processed: string, failed: string, cancelled: string): string {
  return `CASE WHEN (${processed}) - (${failed}) - (${cancelled}) > 0 THEN ${S.completed} ELSE ${S.failed} END::extraction_job_status`;
}

/** statusAfterFailure(): whether a failure goes to `retrying` (true) or `failed`. */
export function retriesLeftSql(retryable: string, retryCount: string, maxRetries: string): string {
  return `(${retryable} AND ${retryCount} < ${maxRetries})`;
}

/** retryDelaySeconds(retryCount + 1, policy, factor): min(base · 2^n, cap) · jitter factor. */
export function retryDelaySecondsSql(
  retryCount: string,
  base: string,
  cap: string,
  factor: string,
): string {
  return `LEAST(${base} * power(2, ${retryCount}), ${cap}) * ${factor}`;
}

/**
 * Updates the bulk parents of the child rows in CTE `child` that have just settled, by the number
 * of their children that did, so a statement may settle many children of several parents at once.
 * `$now` is the parameter index of the current time. The parents are found by primary key only
 * (`id = ANY(…)`, the new values from a subquery rather than a join), so the plan stays a key lookup
 * however it was made (see docs/decisions.md, "Worker connections plan each statement once").
 */
/**
 * The throttle of `bulk.progress` (≤ 1 per second per bulk): an open bulk whose counters change
 * gets `progress_event_at = now` when its last progress event is a second old or more, and the
 * outbox writes the event for parents where it equals `now` (outboxCte). Another statement at the
 * very same time (or a worker whose clock is behind) moves it a microsecond back, so only the
 * first writes the event. Not an indexed column: the update stays heap-only.
 */
function progressEventAtSql(settles: string, now: string): string {
  return `CASE WHEN ${settles} THEN p.progress_event_at
    WHEN p.progress_event_at IS NULL OR p.progress_event_at <= ${now} - interval '1 second' THEN ${now}
    ELSE LEAST(p.progress_event_at, ${now} - interval '1 microsecond') END`;
}

export function settleParentCte(now: number): string {
  const processed = 'p.processed_items + s.settled';
  const failed = 'p.failed_items + s.failed';
  const cancelled = 'p.cancelled_items + s.cancelled';
  const settles = `p.status IN ${sqlList(OPEN_BULK_STATUSES)} AND ${processed} >= p.total_items`;
  return `settled AS (
    SELECT parent_job_id AS id, count(*)::int AS settled,
      (count(*) FILTER (WHERE status = ${S.failed}))::int AS failed,
      (count(*) FILTER (WHERE status = ${S.cancelled}))::int AS cancelled
    FROM child
    WHERE parent_job_id IS NOT NULL AND status IN ${SETTLED_SQL}
    GROUP BY parent_job_id
  ), parent AS (
    UPDATE extraction_jobs p SET (processed_items, failed_items, cancelled_items, progress, status,
                                  completed_at, duration_ms, updated_at, progress_event_at) = (
      SELECT ${processed}, ${failed}, ${cancelled},
        ${progressSql(processed, 'p.total_items')},
        CASE WHEN ${settles} THEN ${finalBulkStatusSql(processed, failed, cancelled)} ELSE p.status END,
        CASE WHEN ${settles} THEN $${now}::timestamptz ELSE p.completed_at END,
        CASE WHEN ${settles}
          THEN GREATEST(0, (extract(epoch FROM ($${now}::timestamptz - COALESCE(p.started_at, p.created_at))) * 1000))::int
          ELSE p.duration_ms END,
        -- Only when the parent settles: leaving indexed columns alone keeps the update of this hot
        -- row a heap-only (HOT) update, with no new index entries per finished child.
        CASE WHEN ${settles} THEN $${now}::timestamptz ELSE p.updated_at END,
        ${progressEventAtSql(settles, `$${now}::timestamptz`)}
      FROM settled s WHERE s.id = p.id)
    WHERE p.id = ANY(ARRAY(SELECT id FROM settled ORDER BY id))
    RETURNING p.*
  )`;
}
