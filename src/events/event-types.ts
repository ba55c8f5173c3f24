/**
 * The events the service publishes, and their wire shape (snake_case, as the HTTP API). Webhook
 * bodies and in-process handlers receive the same object.
 */
import type { JobResponse } from '../api/dto/job.response';

export const EVENT_TYPES = [
  'job.completed',
  'job.failed',
  'job.retrying',
  'job.cancelled',
  'bulk.completed',
  'bulk.failed',
  'bulk.progress',
  'import.completed',
] as const;
export type ExtractionEventType = (typeof EVENT_TYPES)[number];

/**
 * Sent only to the subscriptions and handlers that list them by name: not to a subscription
 * without `event_types`, a handler of `'*'`, or a job's `callback_url`.
 */
export const OPTIONAL_EVENT_TYPES: readonly ExtractionEventType[] = ['bulk.progress'];

/** The types a subscription or handler gets when it names none (`'*'`). */
export const DEFAULT_EVENT_TYPES: readonly ExtractionEventType[] = EVENT_TYPES.filter(
  (type) => !OPTIONAL_EVENT_TYPES.includes(type),
);

export interface BulkCounters {
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  pending: number;
}

export interface ExtractionEvent {
  /** Unique and stable: redeliveries carry the same id; deduplicate on it. */
  id: string;
  type: ExtractionEventType;
  /** ISO-8601, the time of the state change. */
  occurred_at: string;
  owner_id: string;
  job_id: string;
  /**
   * The job (or bulk) as `GET /jobs/{id}` shows it at the change; the result by link
   * (`result_url`), never inline. Every type but import.completed.
   */
  job?: Omit<JobResponse, 'result'> & { result: null };
  /** job.failed and job.retrying. */
  error?: { code: string | null; message: string | null; retryable: boolean };
  /** bulk.completed, bulk.failed and bulk.progress. */
  counters?: BulkCounters;
  /** import.completed. */
  import?: ImportSummary;
}

/** import.completed: an import of a job's or a bulk's rows into a table committed. */
export interface ImportSummary {
  /** The import run of a large (202) import; null for an import answered at once. */
  import_id: string | null;
  /** The job imported (null for a bulk import). */
  job_id: string | null;
  /** The bulk imported (null for a job import). */
  bulk_job_id: string | null;
  table_id: string;
  records_imported: number;
  records_failed: number;
  records_skipped: number;
}
