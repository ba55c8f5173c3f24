/**
 * The wire shapes (snake_case) the frontend reads, mapped from entities by plain functions.
 * Entities never leave the service layer as they are.
 */
import { ExtractionJob } from '../../extraction/entities/extraction-job.entity';
import { completedCount, pendingCount } from '../../extraction/jobs/bulk-progress';

export const API_BASE = '/api/v1/extraction';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface JobResponse {
  id: string;
  kind: string;
  status: string;
  format: string | null;
  filename: string | null;
  file_size: number | null;
  options: Record<string, unknown>;
  target_table_id: string | null;
  record_id: string | null;
  attachment_id: string | null;
  progress: number;
  result: Record<string, unknown> | null;
  /** Where the full result is, when it was too large to inline. */
  result_url: string | null;
  error_code: string | null;
  error_message: string | null;
  retry_count: number;
  max_retries: number;
  next_retry_at: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  parent_job_id?: string;
}

export function toJobResponse(job: ExtractionJob): JobResponse {
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
    ...(job.parentJobId ? { parent_job_id: job.parentJobId } : {}),
  };
}

export interface BulkFileResponse {
  file_path: string | null;
  filename: string | null;
  format: string | null;
  status: string;
  job_id: string;
  progress: number;
  result: Record<string, unknown> | null;
  error_code: string | null;
  error_message: string | null;
  retry_count: number;
  started_at: string | null;
  completed_at: string | null;
}

export interface BulkResponse {
  bulk_job_id: string;
  total_files: number;
  files: BulkFileResponse[];
  overall_status: string;
  progress: number;
  files_completed: number;
  files_failed: number;
  files_cancelled: number;
  files_pending: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  target_table_id: string | null;
}

export function toBulkResponse(
  parent: ExtractionJob,
  children: ExtractionJob[],
  opts: { includeResults: boolean },
): BulkResponse {
  const counters = {
    total: parent.totalItems,
    processed: parent.processedItems,
    failed: parent.failedItems,
    cancelled: parent.cancelledItems,
  };
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
    created_at: parent.createdAt.toISOString(),
    started_at: iso(parent.startedAt),
    completed_at: iso(parent.completedAt),
    target_table_id: parent.targetTableId,
  };
}
