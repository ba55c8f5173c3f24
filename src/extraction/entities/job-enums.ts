/** Enums of the extraction_jobs table, listed once and shared by entity, service, DTOs and SQL. */
export { EXTRACTION_FORMATS, type ExtractionFormat } from '../extractors/extractor';

export const JOB_STATUSES = [
  'pending',
  'processing',
  'completed',
  'failed',
  'cancelled',
  'retrying',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A job in one of these can still change by itself (claim, finish, retry sweep). */
export const ACTIVE_STATUSES: readonly JobStatus[] = ['pending', 'processing', 'retrying'];
/** Never left again. `failed` is not here: an explicit retry may take it back to pending. */
export const FINAL_STATUSES: readonly JobStatus[] = ['completed', 'cancelled'];
/** Finished as far as a worker is concerned (counts a bulk child as done). */
export const SETTLED_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export const JOB_KINDS = ['single', 'bulk', 'file'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Where the last reprocess of a completed job is (`reprocess_status`; null: never reprocessed). */
export const REPROCESS_STATUSES = ['pending', 'completed', 'failed'] as const;
export type ReprocessStatus = (typeof REPROCESS_STATUSES)[number];

/**
 * What a completed job's result came with before a reprocess (`reprocess_previous`, JSON:
 * timestamps as ISO strings), put back when the reprocess fails.
 */
export interface ReprocessPrevious {
  completed_at: string | null;
  started_at: string | null;
  duration_ms: number | null;
  extractor_version: number | null;
  options_digest: string | null;
  reused_from: string | null;
  result_path: string | null;
  retry_count: number;
}
