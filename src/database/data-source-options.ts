/**
 * TypeORM options shared by the application (TypeOrmModule) and the CLI data source (ormconfig.ts),
 * so both see the same entities and migrations. Schema changes only ever come from migrations.
 */
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { ExtractionJob } from '../extraction/entities/extraction-job.entity';

const projectRoot = join(__dirname, '..', '..');

export interface ConnectionTuning {
  poolSize?: number;
  /**
   * Worker processes turn synchronous commit off: every write they make is fenced and repeatable,
   * so a database crash that loses the last few hundred milliseconds only makes a job run again
   * (lease expiry or the reconciler), while each commit stops waiting for its WAL flush.
   */
  asyncCommit?: boolean;
}

export function buildDataSourceOptions(
  url: string,
  extra: ConnectionTuning = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [ExtractionJob],
    // Compiled (.js in dist) or source (.ts under ts-node/jest): pick the files that sit beside us.
    migrations: [join(projectRoot, 'migrations', __filename.endsWith('.ts') ? '*.ts' : '*.js')],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: extra.poolSize ?? 10,
      ...(extra.asyncCommit ? { options: '-c synchronous_commit=off' } : {}),
    },
  };
}
