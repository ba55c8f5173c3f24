/**
 * The wire shapes (snake_case) the frontend reads, mapped from entities by plain functions; the
 * shapes themselves are the documented response classes (job.response.ts, bulk.response.ts).
 * Entities never leave the service layer as they are.
 */
import { ExtractionJob } from '../../extraction/entities/extraction-job.entity';
import { completedCount, pendingCount } from '../../extraction/jobs/bulk-progress';
import { BulkProgressEvent, BulkResponse } from './bulk.response';
import { JobResponse } from './job.response';

export type { BulkResponse, JobResponse };

export const API_BASE = '/api/v1/extraction';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A job whose reprocess has not settled is, for its owner, the completed job it was: its previous
 * result with what came with it (`reprocess_previous`); the new attempt shows in `reprocess`.
 */
export function ownerView(job: ExtractionJob): ExtractionJob {
  if (job.reprocessStatus !== 'pending' || !job.reprocessPrevious) return job;
  const previous = job.reprocessPrevious;
  const date = (value: string | null) => (value ? new Date(value) : null);
  return Object.assign(Object.create(Object.getPrototypeOf(job) as object) as ExtractionJob, job, {
    status: 'completed',
    progress: 100,
    errorCode: null,
    errorMessage: null,
    nextRetryAt: null,
    retryCount: previous.retry_count,
    startedAt: date(previous.started_at),
    completedAt: date(previous.completed_at),
    extractorVersion: previous.extractor_version,
    reusedFrom: previous.reused_from,
    // The attempt may already name the result it reuses; the owner still sees the previous one.
    resultPath: previous.result_path,
  });
}

function reprocessOf(job: ExtractionJob): JobResponse['reprocess'] {
  if (!job.reprocessStatus || !job.reprocessRequestedAt) return undefined;
  const running = job.reprocessStatus === 'pending';
  return {
    status: running ? job.status : job.reprocessStatus,
    requested_at: job.reprocessRequestedAt.toISOString(),
    // A running attempt's last transient failure, or why the reprocess failed.
    error_code: running ? job.errorCode : job.reprocessErrorCode,
    error_message: running ? job.errorMessage : job.reprocessErrorMessage,
  };
}

export function toJobResponse(row: ExtractionJob): JobResponse {
  const job = ownerView(row);
  const reprocess = reprocessOf(row);
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    format: job.format,
    filename: job.filename,
    file_size: job.fileSize,
    options: job.options,
    target_table_id: job.targetTableId,
    record_id: job.recordId,
    attachment_id: job.attachmentId,
    progress: job.progress,
    result: job.result,
    result_url: job.resultPath ? `${API_BASE}/jobs/${job.id}/result` : null,
    error_code: job.errorCode,
    error_message: job.errorMessage,
    retry_count: job.retryCount,
    max_retries: job.maxRetries,
    next_retry_at: iso(job.nextRetryAt),
    created_at: job.createdAt.toISOString(),
    started_at: iso(job.startedAt),
    completed_at: iso(job.completedAt),
    extractor_version: job.extractorVersion ?? null,
    reused_from: job.reusedFrom ?? null,
    ...(job.parentJobId ? { parent_job_id: job.parentJobId } : {}),
    ...(reprocess ? { reprocess } : {}),
  };
}

/** A page of a bulk's files (GET /bulk/{id}). */
export interface BulkFilesPage {
  page: number;
  pageSize: number;
  total: number;
  status: string | null;
}

export function toBulkResponse(
  parent: ExtractionJob,
  children: ExtractionJob[],
  opts: { includeResults: boolean; page?: BulkFilesPage },
): BulkResponse {
  const counters = {
    total: parent.totalItems,
    processed: parent.processedItems,
    failed: parent.failedItems,
    cancelled: parent.cancelledItems,
  };
  const page = opts.page
    ? {
        files_page: opts.page.page,
        files_page_size: opts.page.pageSize,
        files_total: opts.page.total,
        ...(opts.page.status ? { files_status: opts.page.status } : {}),
      }
    : {};
  return {
    bulk_job_id: parent.id,
    total_files: parent.totalItems,
    files: children.map((c) => ({
      file_path: c.filename,
      filename: c.filename,
      format: c.format,
      status: c.status,
      job_id: c.id,
      progress: c.progress,
      result: opts.includeResults ? c.result : null,
      result_url:
        c.status === 'completed' || (c.status === 'failed' && (c.result || c.resultPath))
          ? `${API_BASE}/jobs/${c.id}/result`
          : null,
      error_code: c.errorCode,
      error_message: c.errorMessage,
      retry_count: c.retryCount,
      started_at: iso(c.startedAt),
      completed_at: iso(c.completedAt),
    })),
    overall_status: parent.status,
    progress: parent.progress,
    files_completed: completedCount(counters),
    files_failed: parent.failedItems,
    files_cancelled: parent.cancelledItems,
    files_pending: pendingCount(counters),
    ...page,
    created_at: parent.createdAt.toISOString(),
    started_at: iso(parent.startedAt),
    completed_at: iso(parent.completedAt),
    target_table_id: parent.targetTableId,
  };
}

export function toBulkProgressEvent(parent: ExtractionJob): BulkProgressEvent {
  const counters = {
    total: parent.totalItems,
    processed: parent.processedItems,
    failed: parent.failedItems,
    cancelled: parent.cancelledItems,
  };
  return {
    bulk_job_id: parent.id,
    overall_status: parent.status,
    progress: parent.progress,
    total_files: parent.totalItems,
    files_completed: completedCount(counters),
    files_failed: parent.failedItems,
    files_cancelled: parent.cancelledItems,
    files_pending: pendingCount(counters),
  };
}
