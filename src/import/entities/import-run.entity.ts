/**
 * A large import running on a worker: the request (command), its progress and its answer. The
 * import itself is one transaction, so a run killed midway leaves nothing and simply runs again
 * (attempt + 1, fenced like extraction jobs).
 */
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const IMPORT_RUN_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type ImportRunStatus = (typeof IMPORT_RUN_STATUSES)[number];

@Entity({ name: 'import_runs' })
@Index('ix_import_runs_lease_expiry', ['leaseExpiresAt'], { where: `"status" = 'processing'` })
@Index('ix_import_runs_pending_updated', ['updatedAt'], { where: `"status" = 'pending'` })
@Check('ck_import_runs_status', `"status" IN ('pending', 'processing', 'completed', 'failed')`)
export class ImportRun {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_import_runs' })
  id!: string;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: ImportRunStatus;

  /** 'job' (POST /import) or 'bulk' (POST /bulk/import). */
  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'jsonb' })
  command!: Record<string, unknown>;

  @Column({ name: 'total_rows', type: 'integer' })
  totalRows!: number;

  @Column({ name: 'processed_rows', type: 'integer', default: 0 })
  processedRows!: number;

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempt!: number;

  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
