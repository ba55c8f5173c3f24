/**
 * TypeORM options shared by the application (TypeOrmModule) and the CLI data source (ormconfig.ts),
 * so both see the same entities and migrations. Schema changes only ever come from migrations.
 */
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { ExtractionJob } from '../extraction/entities/extraction-job.entity';

const projectRoot = join(__dirname, '..', '..');

export function buildDataSourceOptions(url: string, extra: { poolSize?: number } = {}): DataSourceOptions {
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
    extra: { max: extra.poolSize ?? 10 },
  };
}
