/**
 * One row per job: a single upload (`single`), a bulk parent (`bulk`) or one file of a bulk
 * (`file`, with `parent_job_id`). Schema changes come only from migrations/.
 */
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import {
  EXTRACTION_FORMATS,
  ExtractionFormat,
  JOB_KINDS,
  JOB_STATUSES,
  JobKind,
  JobStatus,
  ReprocessPrevious,
  ReprocessStatus,
} from './job-enums';

/** bigint comes back from pg as a string; sizes here stay far below 2^53. */
const bigintAsNumber = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity({ name: 'extraction_jobs' })
@Index('ix_extraction_jobs_owner_created', ['ownerId', 'createdAt', 'id'])
@Index('ix_extraction_jobs_parent_created', ['parentJobId', 'createdAt', 'id'])
@Index('ix_extraction_jobs_file_url', ['fileUrl'])
@Index('ix_extraction_jobs_attachment', ['attachmentId', 'createdAt'])
@Index('ix_extraction_jobs_owner_status_created', ['ownerId', 'status', 'createdAt', 'id'])
@Index('uq_extraction_jobs_idempotency', ['ownerId', 'kind', 'idempotencyKey'], {
  unique: true,
  where: `"idempotency_key" IS NOT NULL`,
})
@Index('uq_extraction_jobs_live_attachment', ['recordId', 'attachmentId'], {
  unique: true,
  where: `"attachment_id" IS NOT NULL AND "status" IN ('pending', 'processing', 'retrying')`,
})
@Index('ix_extraction_jobs_retry_due', ['nextRetryAt'], { where: `"status" = 'retrying'` })
@Index('ix_extraction_jobs_lease_expiry', ['leaseExpiresAt'], { where: `"status" = 'processing'` })
@Index('ix_extraction_jobs_processing_started', ['startedAt'], { where: `"status" = 'processing'` })
@Index('ix_extraction_jobs_pending_updated', ['updatedAt'], {
  where: `"status" = 'pending' AND "kind" <> 'bulk'`,
})
@Index('ix_extraction_jobs_cleanup', ['completedAt'], {
  where: `"status" IN ('completed', 'cancelled') AND "parent_job_id" IS NULL`,
})
@Index('ix_extraction_jobs_open_bulks', ['createdAt'], {
  where: `"kind" = 'bulk' AND "status" IN ('pending', 'processing')`,
})
@Index('ix_extraction_jobs_unreleased', ['parentJobId', 'createdAt', 'id'], {
  where: `"kind" = 'file' AND "status" = 'pending' AND "released_at" IS NULL`,
})
@Index('ix_extraction_jobs_released_active', ['ownerId'], {
  where: `"kind" = 'file' AND "status" IN ('pending', 'processing') AND "released_at" IS NOT NULL`,
})
// Result reuse: a completed result with the same content, format, extractor version and options.
@Index(
  'ix_extraction_jobs_reuse',
  ['contentSha256', 'format', 'extractorVersion', 'optionsDigest', 'ownerId'],
  { where: `"status" = 'completed'` },
)
// Identical uploads of an owner share one stored object: the first job's file of that content.
@Index('ix_extraction_jobs_owner_content', ['ownerId', 'contentSha256'], {
  where: `"content_sha256" IS NOT NULL AND "file_url" IS NOT NULL`,
})
// Deletion keeps a stored result another job still references (reuse shares result objects).
@Index('ix_extraction_jobs_result_path', ['resultPath'], { where: `"result_path" IS NOT NULL` })
// Reprocess through the fair path: each owner's waiting reprocess jobs, oldest request first, and
// the released ones still active (what the owner's reprocess window holds); states for metrics.
@Index('ix_extraction_jobs_reprocess_unreleased', ['ownerId', 'reprocessRequestedAt', 'id'], {
  where: `"reprocess_status" = 'pending' AND "status" = 'pending' AND "released_at" IS NULL`,
})
@Index('ix_extraction_jobs_reprocess_released', ['ownerId'], {
  where: `"reprocess_status" = 'pending' AND "status" IN ('pending', 'processing') AND "released_at" IS NOT NULL`,
})
@Index('ix_extraction_jobs_reprocess_status', ['reprocessStatus', 'status'], {
  where: `"reprocess_status" IS NOT NULL`,
})
// Duplicates parked while an identical file is being extracted, by the reuse key they wait for.
@Index('ix_extraction_jobs_reuse_parked', ['reuseWaitingFor', 'updatedAt'], {
  where: `"reuse_waiting_for" IS NOT NULL`,
})
@Check(
  'ck_extraction_jobs_reprocess_status',
  `"reprocess_status" IN ('pending', 'completed', 'failed')`,
)
@Check('ck_extraction_jobs_parent_kind', `("kind" = 'file') = ("parent_job_id" IS NOT NULL)`)
@Check('ck_extraction_jobs_progress', `"progress" >= 0 AND "progress" <= 100`)
@Check(
  'ck_extraction_jobs_counters',
  `"processed_items" >= 0 AND "failed_items" >= 0 AND "cancelled_items" >= 0 AND "failed_items" + "cancelled_items" <= "processed_items" AND "processed_items" <= "total_items"`,
)
export class ExtractionJob {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'enum', enum: JOB_KINDS, enumName: 'extraction_job_kind', default: 'single' })
  kind!: JobKind;

  @Column({ name: 'parent_job_id', type: 'uuid', nullable: true })
  parentJobId!: string | null;

  @ManyToOne(() => ExtractionJob, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'parent_job_id', foreignKeyConstraintName: 'fk_extraction_jobs_parent' })
  parent?: ExtractionJob | null;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({
    type: 'enum',
    enum: JOB_STATUSES,
    enumName: 'extraction_job_status',
    default: 'pending',
  })
  status!: JobStatus;

  /** Null only for a bulk parent whose files have different formats. */
  @Column({ type: 'enum', enum: EXTRACTION_FORMATS, enumName: 'extraction_format', nullable: true })
  format!: ExtractionFormat | null;

  // --- file
  @Column({ type: 'text', nullable: true })
  filename!: string | null;

  @Column({ name: 'file_url', type: 'text', nullable: true })
  fileUrl!: string | null;

  @Column({ name: 'file_size', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  fileSize!: number | null;

  @Column({ name: 'content_sha256', type: 'char', length: 64, nullable: true })
  contentSha256!: string | null;

  // --- links from the host application
  @Column({ name: 'record_id', type: 'text', nullable: true })
  recordId!: string | null;

  @Column({ name: 'field_id', type: 'text', nullable: true })
  fieldId!: string | null;

  @Column({ name: 'attachment_id', type: 'text', nullable: true })
  attachmentId!: string | null;

  @Column({ name: 'target_table_id', type: 'text', nullable: true })
  targetTableId!: string | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  /** Digest of the request that used the idempotency key; a different request with it is refused. */
  @Column({ name: 'idempotency_fingerprint', type: 'text', nullable: true })
  idempotencyFingerprint!: string | null;

  // --- payloads
  @Column({ type: 'jsonb', default: {} })
  options!: Record<string, unknown>;

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  /** Storage key of a result too large to keep inline. */
  @Column({ name: 'result_path', type: 'text', nullable: true })
  resultPath!: string | null;

  /** The version of the extractor that made `result` (extractor-versions.ts). */
  @Column({ name: 'extractor_version', type: 'integer', nullable: true })
  extractorVersion!: number | null;

  /** SHA-256 of the normalised options that made `result` (options-digest.ts). */
  @Column({ name: 'options_digest', type: 'char', length: 64, nullable: true })
  optionsDigest!: string | null;

  /** The completed job whose result this job took instead of extracting again. */
  @Column({ name: 'reused_from', type: 'uuid', nullable: true })
  reusedFrom!: string | null;

  /**
   * A parked duplicate (`pending`, no queue message): the reuse key whose extraction it waits for,
   * to be woken when that ends (ResultReuseService).
   */
  @Column({ name: 'reuse_waiting_for', type: 'text', nullable: true })
  reuseWaitingFor!: string | null;

  /**
   * Where the last POST /jobs/reprocess of this job is: `pending` while its new attempt runs (the
   * previous result stays in `result`/`result_path` and the API still shows the job completed),
   * then `completed` or `failed` (a failed reprocess leaves the previous result in place).
   */
  @Column({ name: 'reprocess_status', type: 'text', nullable: true })
  reprocessStatus!: ReprocessStatus | null;

  @Column({ name: 'reprocess_requested_at', type: 'timestamptz', nullable: true })
  reprocessRequestedAt!: Date | null;

  /** Why the last reprocess failed (the job itself stays completed). */
  @Column({ name: 'reprocess_error_code', type: 'text', nullable: true })
  reprocessErrorCode!: string | null;

  @Column({ name: 'reprocess_error_message', type: 'text', nullable: true })
  reprocessErrorMessage!: string | null;

  /** What the previous result came with, restored when the reprocess fails. */
  @Column({ name: 'reprocess_previous', type: 'jsonb', nullable: true })
  reprocessPrevious!: ReprocessPrevious | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'error_stack', type: 'text', nullable: true })
  errorStack!: string | null;

  /** 0..100. For a bulk parent: settled children / total. */
  @Column({ type: 'real', default: 0 })
  progress!: number;

  // --- lifecycle
  /** Incremented at every claim: the fencing token a worker must present. */
  @Column({ type: 'integer', default: 0 })
  attempt!: number;

  @Column({ name: 'retry_count', type: 'integer', default: 0 })
  retryCount!: number;

  @Column({ name: 'max_retries', type: 'integer', default: 3 })
  maxRetries!: number;

  @Column({ name: 'next_retry_at', type: 'timestamptz', nullable: true })
  nextRetryAt!: Date | null;

  @Column({ name: 'last_retry_at', type: 'timestamptz', nullable: true })
  lastRetryAt!: Date | null;

  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt!: Date | null;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt!: Date | null;

  @Column({ name: 'worker_id', type: 'text', nullable: true })
  workerId!: string | null;

  /**
   * Bulk files only: when the fair release step handed the file to the queue (null: it waits in
   * PostgreSQL for its owner's window; the reconciler leaves it alone).
   */
  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;

  // --- bulk aggregates (parent only)
  @Column({ name: 'total_items', type: 'integer', default: 0 })
  totalItems!: number;

  /** Children in a settled state (completed, failed or cancelled). */
  @Column({ name: 'processed_items', type: 'integer', default: 0 })
  processedItems!: number;

  @Column({ name: 'failed_items', type: 'integer', default: 0 })
  failedItems!: number;

  @Column({ name: 'cancelled_items', type: 'integer', default: 0 })
  cancelledItems!: number;

  /** When the last `bulk.progress` event was written (its throttle: at most one per second). */
  @Column({ name: 'progress_event_at', type: 'timestamptz', nullable: true })
  progressEventAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
