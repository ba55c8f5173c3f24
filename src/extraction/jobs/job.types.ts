/**
 * The job core's vocabulary, shared by the service, the repositories, the queue port and the
 * processor: what a new job is, how an attempt is named, what a worker reports.
 */
import { ExtractionFormat, JobKind, JobStatus } from '../entities/job-enums';

export interface NewJob {
  id?: string;
  kind?: Extract<JobKind, 'single' | 'file'>;
  ownerId: string;
  format: ExtractionFormat | null;
  filename?: string | null;
  fileUrl?: string | null;
  fileSize?: number | null;
  contentSha256?: string | null;
  recordId?: string | null;
  fieldId?: string | null;
  attachmentId?: string | null;
  targetTableId?: string | null;
  idempotencyKey?: string | null;
  /** Digest of the request that used `idempotencyKey` (request-fingerprint.ts). */
  idempotencyFingerprint?: string | null;
  options?: Record<string, unknown>;
  maxRetries: number;
  /** A file refused at creation (e.g. unknown extension in a bulk): stored as `failed`. */
  initialError?: { code: string; message: string } | null;
  /**
   * `fileUrl` is a fresh upload: when the owner already stored these bytes (`contentSha256`), the
   * job names that object instead, chosen in the insert itself (see SHARED_FILE_URL_SQL); the
   * caller removes its copy when the job's `fileUrl` is not it.
   */
  shareStoredContent?: boolean;
}

/**
 * Which queue lane a message takes: single jobs and files of small bulks are `interactive` and go
 * before `bulk` files on every worker (docs/decisions.md, "Fair scheduling"); reprocess attempts
 * take `background`, behind both.
 */
export type QueueLane = 'interactive' | 'bulk' | 'background';

export interface JobRef {
  id: string;
  attempt: number;
  /** Lane of the message (dispatch; default interactive) or the one it came by (consume). */
  lane?: QueueLane;
}

export interface ClaimRequest {
  ref: JobRef;
  workerId: string;
}

export interface CompleteRequest {
  ref: JobRef;
  /** The result as JSON text (already serialised to measure it), or null when stored elsewhere. */
  resultJson: string | null;
  resultPath: string | null;
}

export interface FailureInput {
  code: string;
  message: string;
  stack?: string | null;
  retryable: boolean;
}

export interface BackoffParams {
  baseSeconds: number;
  capSeconds: number;
  factor: number;
}

export interface ListQuery {
  ownerId?: string;
  status?: JobStatus;
  format?: ExtractionFormat;
  parentJobId?: string;
  kinds?: JobKind[];
  /** Leave `result` out (undefined on the jobs): listings that never show results. */
  withoutResults?: boolean;
  page: number;
  pageSize: number;
}

/**
 * Per-owner limits (OWNER_MAX_ACTIVE_FILES, BULK_MAX_FILES) apply when `enforceLimits` is set:
 * the API sets it for its callers; trusted in-process callers (other modules) may leave it off.
 */
export interface OwnerLimitsOption {
  enforceLimits?: boolean;
}

export type CreateJobInput = Omit<
  NewJob,
  'kind' | 'maxRetries' | 'initialError' | 'idempotencyFingerprint'
> &
  OwnerLimitsOption & {
    maxRetries?: number;
  };

export interface CreateBulkInput extends OwnerLimitsOption {
  id?: string;
  ownerId: string;
  format?: ExtractionFormat | null;
  targetTableId?: string | null;
  idempotencyKey?: string | null;
  options?: Record<string, unknown>;
  maxRetries?: number;
  files: Array<Omit<NewJob, 'kind' | 'ownerId' | 'maxRetries' | 'targetTableId'>>;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ListJobsQuery {
  ownerId?: string;
  status?: JobStatus;
  format?: ExtractionFormat;
  kinds?: JobKind[];
  page?: number;
  pageSize?: number;
}

export interface JobStats {
  total: number;
  byStatus: Record<JobStatus, number>;
  retryable: number;
}
