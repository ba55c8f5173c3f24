/** A table of the built-in store: owned by one user, with fields and records. */
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'data_tables' })
@Index('ix_data_tables_owner_created', ['ownerId', 'createdAt', 'id'])
export class DataTable {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_data_tables' })
  id!: string;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Readable but closed to imports (e.g. a reference table); imports answer 403. */
  @Column({ name: 'read_only', type: 'boolean', default: false })
  readOnly!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
