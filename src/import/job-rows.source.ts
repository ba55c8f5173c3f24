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
import { InlineResultRows } from './rows/inline-result-rows';
import { StoredResultRows } from './rows/stored-result-rows';
import { rowsFromResult } from './rows/result-rows';
import { memoryRowStream, RowStream, withColumns } from './rows/row-stream';
import { RowSet } from './rows/source-row';

export interface JobRows extends RowSet {
  job: ExtractionJob;
}

/** The rows of one job for an import, streamed when they can be. */
export interface JobRowStream {
  job: ExtractionJob;
  rows: RowStream;
}

const CHILD_PAGE = 100;

/** Which rows of a bulk: its completed files (all, or `selection`), of one record type. */
export interface BulkRowsOptions {
  recordType?: string | null;
  selection?: string[] | null;
  /** Adds `source_file` and `source_format` columns to each row. */
  includeSourceFile?: boolean;
}

@Injectable()
export class JobRowsSource {
  constructor(
    private readonly jobs: ExtractionJobService,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly inline: InlineResultRows,
    private readonly stored: StoredResultRows,
  ) {}

  /** The job's rows streamed from its inline or stored result; null when they must be read whole. */
  private openStream(job: ExtractionJob, recordType: string | null): Promise<RowStream | null> {
    const format = job.format ?? '';
    return job.resultPath
      ? this.stored.open(job.resultPath, format, recordType)
      : this.inline.open(job.id, format, recordType);
  }

  /**
   * The rows an import writes: streamed when the job is completed and the record type is one
   * list — out of PostgreSQL (InlineResultRows) or out of storage (StoredResultRows); else read
   * whole, as `rows` does (partial results, record types built from several lists).
   */
  async stream(
    ownerId: string,
    jobId: string,
    options: { recordType?: string | null; allowPartial?: boolean } = {},
  ): Promise<JobRowStream> {
    const [light] = await this.jobs.getManyWithoutResults([jobId]);
    if (
      light &&
      light.ownerId === ownerId &&
      light.kind !== 'bulk' &&
      light.status === 'completed'
    ) {
      const rows = await this.openStream(light, options.recordType ?? null);
      if (rows) return { job: light, rows };
    }
    const set = await this.rows(ownerId, jobId, options);
    return { job: set.job, rows: memoryRowStream(set.record_type, set.rows) };
  }

  /** `bulkRows` for an import: each selected completed file's rows, streamed when they can be. */
  async bulkStreams(
    ownerId: string,
    bulkId: string,
    options: BulkRowsOptions,
  ): Promise<{ bulk: ExtractionJob; children: ExtractionJob[]; streams: JobRowStream[] }> {
    const { bulk, children, selected } = await this.bulkFiles(ownerId, bulkId, options.selection);
    const streams: JobRowStream[] = [];
    for (const child of selected) {
      const recordType = options.recordType ?? null;
      let rows = await this.openStream(child, recordType);
      if (!rows) {
        const full = await this.jobs.get(child.id, ownerId);
        const set = await this.rowsOf(full, null, recordType);
        rows = memoryRowStream(set.record_type, set.rows);
      }
      if (options.includeSourceFile) {
        rows = withColumns(rows, { source_file: child.filename, source_format: child.format });
      }
      streams.push({ job: child, rows });
    }
    return { bulk, children, streams };
  }

  /** A bulk, its files, and the completed ones selected (all, or those in `selection`). */
  private async bulkFiles(
    ownerId: string,
    bulkId: string,
    selection: string[] | null | undefined,
  ): Promise<{ bulk: ExtractionJob; children: ExtractionJob[]; selected: ExtractionJob[] }> {
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
        withoutResults: true,
      });
      children.push(...items);
      if (items.length === 0 || children.length >= total) break;
    }
    const picked = selection?.map((id) => id.toLowerCase()) ?? null;
    if (picked) {
      const ids = new Set(children.map((c) => c.id));
      const foreign = picked.filter((id) => !ids.has(id));
      if (foreign.length > 0) {
        throw new InvalidImportError(`file_selection names jobs outside bulk ${bulkId}`, {
          field: 'file_selection',
          job_ids: foreign,
        });
      }
    }
    const selected = children.filter(
      (c) => c.status === 'completed' && (!picked || picked.includes(c.id)),
    );
    return { bulk, children, selected };
  }

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
    options: BulkRowsOptions,
  ): Promise<{ bulk: ExtractionJob; children: ExtractionJob[]; sets: JobRows[] }> {
    const { bulk, children, selected } = await this.bulkFiles(ownerId, bulkId, options.selection);
    const sets: JobRows[] = [];
    for (const light of selected) {
      const child = await this.jobs.get(light.id, ownerId);
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
