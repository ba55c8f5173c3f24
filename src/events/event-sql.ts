/**
 * SQL pieces that write events into the outbox `extraction_events` from inside the statement that
 * changes a job's state (a data-modifying CTE reading the rows the change RETURNs), so an event
 * exists exactly when its change committed. The job snapshot is built in SQL with the wire names
 * of the HTTP API (toJobResponse), the result by link only.
 */
import { API_BASE } from '../api/dto/job-wire';

/** A timestamptz as JavaScript's toISOString() prints it, or null. */
const iso = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The job of row alias `a` as the API shows it, `result` left out (`result_url` links to it). */
export function jobWireJsonSql(a: string): string {
  return `jsonb_build_object(
    'id', ${a}.id, 'kind', ${a}.kind, 'status', ${a}.status, 'format', ${a}.format,
    'filename', ${a}.filename, 'file_size', ${a}.file_size, 'options', ${a}.options,
    'target_table_id', ${a}.target_table_id, 'record_id', ${a}.record_id,
    'attachment_id', ${a}.attachment_id, 'progress', ${a}.progress, 'result', NULL,
    'result_url', CASE WHEN ${a}.kind <> 'bulk' AND (${a}.status = 'completed' OR ${a}.result_path IS NOT NULL)
      THEN '${API_BASE}/jobs/' || ${a}.id || '/result' END,
    'error_code', ${a}.error_code, 'error_message', ${a}.error_message,
    'retry_count', ${a}.retry_count, 'max_retries', ${a}.max_retries,
    'next_retry_at', ${iso(`${a}.next_retry_at`)}, 'created_at', ${iso(`${a}.created_at`)},
    'started_at', ${iso(`${a}.started_at`)}, 'completed_at', ${iso(`${a}.completed_at`)},
    'parent_job_id', ${a}.parent_job_id)`;
}

/** `counters` of a bulk parent row `a` (bulk-progress.ts: completed = processed − failed − cancelled). */
function countersJsonSql(a: string): string {
  return `jsonb_build_object('total', ${a}.total_items,
    'completed', ${a}.processed_items - ${a}.failed_items - ${a}.cancelled_items,
    'failed', ${a}.failed_items, 'cancelled', ${a}.cancelled_items,
    'pending', ${a}.total_items - ${a}.processed_items)`;
}

export interface JobEventSource {
  /** The CTE holding the changed job rows (all columns but maybe `result`). */
  from: string;
  /** SQL text of the event type for row `c`, e.g. `'job.completed'`. */
  type: string;
  /** SQL boolean: whether the failure was retryable, for job.failed/job.retrying; omitted otherwise. */
  retryable?: string;
  /** Only rows for which this holds (SQL on `c`). */
  where?: string;
}

/** INSERT … SELECT of the events of one source; the job row is `c`, `$now` the change time. */
function insertJobEvents(source: JobEventSource, now: string): string {
  const error =
    source.retryable === undefined
      ? ''
      : ` || jsonb_build_object('error', jsonb_build_object('code', c.error_code, 'message', c.error_message, 'retryable', ${source.retryable}))`;
  return `SELECT ${source.type}, c.owner_id, c.id, ${now},
      jsonb_build_object('job', ${jobWireJsonSql('c')})${error}
    FROM ${source.from} c${source.where ? ` WHERE ${source.where}` : ''}`;
}

/**
 * The outbox CTE (`outbox AS (INSERT …)`): events for the job rows of each source and, when
 * `parents` names a CTE of updated bulk parents (settleParentCte), bulk.completed/bulk.failed for
 * each parent that settled in this statement (its completed_at is this statement's time) and
 * bulk.progress for each open parent whose progress event is due (throttled to 1 per second).
 * `now` is the parameter index of the change time.
 */
export function outboxCte(now: number, sources: JobEventSource[], parents?: string): string {
  const at = `$${now}::timestamptz`;
  const selects = sources.map((s) => insertJobEvents(s, at));
  if (parents) {
    // The parent settled in this statement (completed_at is its time), or its progress event is
    // due (settleParentCte's throttle set progress_event_at to this statement's time).
    selects.push(`SELECT CASE WHEN p.status = 'completed' THEN 'bulk.completed'
        WHEN p.status = 'failed' THEN 'bulk.failed' ELSE 'bulk.progress' END,
      p.owner_id, p.id, ${at},
      jsonb_build_object('job', ${jobWireJsonSql('p')}, 'counters', ${countersJsonSql('p')})
    FROM ${parents} p
    WHERE (p.status IN ('completed', 'failed') AND p.completed_at = ${at})
       OR (p.status NOT IN ('completed', 'failed', 'cancelled') AND p.progress_event_at = ${at})`);
  }
  return `outbox AS (
    INSERT INTO extraction_events (type, owner_id, job_id, occurred_at, data)
    ${selects.join('\n    UNION ALL\n    ')}
  )`;
}
