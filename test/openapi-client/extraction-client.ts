/**
 * A small frontend-style client written only against the types that openapi-typescript generates
 * from the OpenAPI document (generated/extraction-api.d.ts, not committed). It type-checks only
 * while the document describes what the frontend reads (SEED-NOTES §1): the calls, their query
 * parameters and the job, list, bulk and error fields.
 */
import type { components, operations, paths } from './generated/extraction-api';

type Schemas = components['schemas'];
export type Job = Schemas['JobResponse'];
export type JobList = Schemas['JobListResponse'];
export type Bulk = Schemas['BulkResponse'];
export type ErrorBody = Schemas['ErrorBody'];
export type ListJobsQuery = NonNullable<
  paths['/api/v1/extraction/jobs']['get']['parameters']['query']
>;
type CreateJobBody = NonNullable<
  paths['/api/v1/extraction/jobs']['post']['requestBody']
>['content'];
/** The JSON variant of POST /jobs (the multipart variant is CreateJobUploadDto). */
export type CreateJobJsonBody = CreateJobBody['application/json'];
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;

const BASE = '/api/v1/extraction';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(`${body.code}: ${body.message}`);
  }
}

export class ExtractionClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** The frontend's upload: multipart file, format, target_table_id → 202 job. */
  createJob(
    file: Blob,
    filename: string,
    format: NonNullable<Schemas['CreateJobUploadDto']['format']>,
    targetTableId?: string,
  ): Promise<Job> {
    const form = new FormData();
    form.append('file', file, filename);
    form.append('format', format);
    if (targetTableId !== undefined) form.append('target_table_id', targetTableId);
    return this.call<JsonOf<operations['JobsController_create']['responses'][202]>>(
      'POST',
      `${BASE}/jobs`,
      form,
    );
  }

  /** A job for a file already in the service's storage (JSON body). */
  createJobFromStorage(body: CreateJobJsonBody): Promise<Job> {
    return this.call('POST', `${BASE}/jobs`, JSON.stringify(body));
  }

  listJobs(query: ListJobsQuery = {}): Promise<JobList> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) params.set(key, String(value));
    return this.call('GET', `${BASE}/jobs?${params.toString()}`);
  }

  getJob(id: string): Promise<Job> {
    return this.call<JsonOf<paths['/api/v1/extraction/jobs/{id}']['get']['responses'][200]>>(
      'GET',
      `${BASE}/jobs/${id}`,
    );
  }

  retryJob(id: string, force = false): Promise<Job> {
    return this.call('POST', `${BASE}/jobs/${id}/retry${force ? '?force=true' : ''}`);
  }

  async deleteJob(id: string): Promise<void> {
    await this.call<undefined>('DELETE', `${BASE}/jobs/${id}`);
  }

  getBulk(id: string): Promise<Bulk> {
    return this.call<JsonOf<paths['/api/v1/extraction/bulk/{id}']['get']['responses'][200]>>(
      'GET',
      `${BASE}/bulk/${id}`,
    );
  }

  stats(): Promise<Schemas['JobStatsResponse']> {
    return this.call('GET', `${BASE}/jobs/stats`);
  }

  /** Polls as the frontend does: every second while pending or processing. */
  async waitForJob(id: string): Promise<Job> {
    for (;;) {
      const job = await this.getJob(id);
      if (job.status !== 'pending' && job.status !== 'processing' && job.status !== 'retrying')
        return job;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private async call<T>(method: string, path: string, body?: FormData | string): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    if (typeof body === 'string') headers['Content-Type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    if (res.status === 204) return undefined as T;
    if (!res.ok) throw new ApiError(res.status, (await res.json()) as ErrorBody);
    return (await res.json()) as T;
  }
}

/** The fields the original frontend reads from a job (SEED-NOTES §1), each with its type. */
export function frontendView(job: Job): {
  id: string;
  status: string;
  format: string | null;
  filename: string | null;
  file_size: number | null;
  options: Record<string, unknown>;
  target_table_id: string | null;
  progress: number;
  result: Record<string, unknown> | null;
  error_message: string | null;
  retry_count: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
} {
  const { id, status, format, filename, file_size, options, target_table_id, progress } = job;
  const { result, error_message, retry_count, created_at, started_at, completed_at } = job;
  return {
    id,
    status,
    format,
    filename,
    file_size,
    options,
    target_table_id,
    progress,
    result,
    error_message,
    retry_count,
    created_at,
    started_at,
    completed_at,
  };
}

/** What the frontend shows of an error: the stable code and the message (FastAPI's `detail`). */
export function describeError(error: ApiError): string {
  const field = error.body.details?.['field'];
  return `${error.body.code} (${error.status}): ${error.body.detail}${typeof field === 'string' ? ` [${field}]` : ''}`;
}

export function bulkSummary(bulk: Bulk): string {
  const files = bulk.files.map(
    (f) => `${f.filename ?? f.job_id}: ${f.status}${f.error_code ? ` (${f.error_code})` : ''}`,
  );
  return `${bulk.overall_status} ${bulk.files_completed}/${bulk.total_files}, ${bulk.files_failed} failed, ${bulk.files_pending} pending\n${files.join('\n')}`;
}

// The original frontend's field names (SEED-NOTES §1): `Pick` refuses a key the schema lacks.
export type FrontendJob = Pick<
  Job,
  | 'id'
  | 'status'
  | 'format'
  | 'filename'
  | 'file_size'
  | 'options'
  | 'target_table_id'
  | 'progress'
  | 'result'
  | 'error_message'
  | 'retry_count'
  | 'created_at'
  | 'started_at'
  | 'completed_at'
>;
export type FrontendJobList = Pick<JobList, 'items' | 'total' | 'page' | 'page_size'>;
export type FrontendBulk = Pick<
  Bulk,
  | 'bulk_job_id'
  | 'total_files'
  | 'files'
  | 'overall_status'
  | 'progress'
  | 'files_completed'
  | 'files_failed'
  | 'files_pending'
  | 'created_at'
  | 'started_at'
  | 'completed_at'
  | 'target_table_id'
>;
export type FrontendBulkFile = Pick<
  Bulk['files'][number],
  | 'file_path'
  | 'filename'
  | 'format'
  | 'status'
  | 'job_id'
  | 'progress'
  | 'result'
  | 'error_message'
  | 'started_at'
  | 'completed_at'
>;
