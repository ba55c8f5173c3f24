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
