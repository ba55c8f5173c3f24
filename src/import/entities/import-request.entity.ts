/** The first response of an import sent with an Idempotency-Key; a replay answers it again. */
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'import_requests' })
export class ImportRequest {
  @PrimaryColumn({ name: 'owner_id', type: 'text', primaryKeyConstraintName: 'pk_import_requests' })
  ownerId!: string;

  @PrimaryColumn({
    name: 'idempotency_key',
    type: 'text',
    primaryKeyConstraintName: 'pk_import_requests',
  })
  idempotencyKey!: string;

  @Column({ type: 'jsonb' })
  response!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
