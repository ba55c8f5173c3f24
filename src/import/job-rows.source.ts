/**
 * The rows of the caller's jobs: a job must be completed (or failed with a kept partial result when
 * `allowPartial`), its full result is read (inline, or from storage when offloaded), and the rows
 * of the asked record type taken from it. For a bulk: the same for each completed file.
 */
import { Inject, Injectable } from '@nestjs/common';
import { ExtractionJob } from '../extraction/entities/extraction-job.entity';
import { ExtractionJobService } from '../extraction/jobs/extraction-job.service';
import { STORAGE_DRIVER, StorageDriver } from '../storage';
import { InvalidImportError, JobNotCompletedError } from './import-errors';
import { rowsFromResult } from './rows/result-rows';
import { RowSet } from './rows/source-row';

export interface JobRows extends RowSet {
  job: ExtractionJob;
}

const CHILD_PAGE = 100;

@Injectable()
export class JobRowsSource {
  constructor(
    private readonly jobs: ExtractionJobService,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
  ) {}

  async rows(
    ownerId: string,
    jobId: string,
    options: { recordType?: string | null; allowPartial?: boolean } = {},
  ): Promise<JobRows> {
    const job = await this.jobs.get(jobId, ownerId);
    if (job.kind === 'bulk') {
      throw new InvalidImportError(`Job ${jobId} is a bulk job: use the bulk preview and import`, {
        job_id: jobId,
      });
    }
    const partial = job.status === 'failed' && (job.result !== null || job.resultPath !== null);
    if (job.status !== 'completed' && !(partial && options.allowPartial)) {
      throw new JobNotCompletedError(
        job.id,
        job.status,
        partial ? 'its partial result may be imported with allow_partial=true' : undefined,
      );
    }
    return this.rowsOf(job, options.recordType ?? null);
  }

  /**
   * The files of a bulk: every child, and the rows of the completed ones (all, or those in
   * `selection`; an id that is not a file of this bulk is refused). With `includeSourceFile`,
   * each row gets `source_file` and `source_format` columns.
   */
  async bulkRows(
    ownerId: string,
    bulkId: string,
    options: {
      recordType?: string | null;
      selection?: string[] | null;
      includeSourceFile?: boolean;
    },
  ): Promise<{ bulk: ExtractionJob; children: ExtractionJob[]; sets: JobRows[] }> {
    const bulk = await this.jobs.get(bulkId, ownerId);
    if (bulk.kind !== 'bulk') {
      throw new InvalidImportError(`Job ${bulkId} is not a bulk job`, { job_id: bulkId });
    }
    const children: ExtractionJob[] = [];
    for (let page = 1; ; page += 1) {
      const { items, total } = await this.jobs.listChildren(bulk.id, {
        ownerId,
        page,
        pageSize: CHILD_PAGE,
      });
      children.push(...items);
      if (items.length === 0 || children.length >= total) break;
    }
    const selection = options.selection?.map((id) => id.toLowerCase()) ?? null;
    if (selection) {
      const ids = new Set(children.map((c) => c.id));
      const foreign = selection.filter((id) => !ids.has(id));
      if (foreign.length > 0) {
        throw new InvalidImportError(`file_selection names jobs outside bulk ${bulkId}`, {
          field: 'file_selection',
          job_ids: foreign,
        });
      }
    }
    const sets: JobRows[] = [];
    for (const child of children) {
      if (child.status !== 'completed' || (selection && !selection.includes(child.id))) continue;
      const set = await this.rowsOf(child, null, options.recordType ?? null);
      if (options.includeSourceFile) {
        set.rows = set.rows.map((row) => ({
          ...row,
          source_file: child.filename,
          source_format: child.format,
        }));
      }
      sets.push(set);
    }
    return { bulk, children, sets };
  }

  /** Rows of one job; in a bulk, a record type another format lacks gives that file no rows. */
  private async rowsOf(
    job: ExtractionJob,
    recordType: string | null,
    lenientType: string | null = null,
  ): Promise<JobRows> {
    const result = await this.fullResult(job);
    const format = job.format ?? '';
    if (lenientType) {
      const types = rowsFromResult(format, result).record_types;
      if (!types.includes(lenientType)) {
        return { job, record_type: lenientType, record_types: types, rows: [] };
      }
      return { job, ...rowsFromResult(format, result, lenientType) };
    }
    return { job, ...rowsFromResult(format, result, recordType) };
  }

  private async fullResult(job: ExtractionJob): Promise<Record<string, unknown>> {
    if (job.resultPath) {
      const raw = await this.storage.getBuffer(this.storage.keyFromUrl(job.resultPath));
      return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    }
    return job.result ?? {};
  }
}
