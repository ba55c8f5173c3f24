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
] as const;
export type ExtractionEventType = (typeof EVENT_TYPES)[number];

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
  /** The job as `GET /jobs/{id}` shows it at the change; the result by link (`result_url`), never inline. */
  job: Omit<JobResponse, 'result'> & { result: null };
  /** job.failed and job.retrying. */
  error?: { code: string | null; message: string | null; retryable: boolean };
  /** bulk.completed and bulk.failed. */
  counters?: BulkCounters;
}
