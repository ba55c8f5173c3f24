/**
 * TypeORM options shared by the application (TypeOrmModule) and the CLI data source (ormconfig.ts),
 * so both see the same entities and migrations. Schema changes only ever come from migrations.
 */
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { ExtractionJob } from '../extraction/entities/extraction-job.entity';
import { ImportRequest } from '../import/entities/import-request.entity';
import { ImportRun } from '../import/entities/import-run.entity';
import { DataTableField } from '../tables/entities/data-table-field.entity';
import { DataTableRecord } from '../tables/entities/data-table-record.entity';
import { DataTableSourceRows } from '../tables/entities/data-table-source-rows.entity';
import { DataTable } from '../tables/entities/data-table.entity';

const projectRoot = join(__dirname, '..', '..');

export interface ConnectionTuning {
  poolSize?: number;
  /**
   * Worker processes turn synchronous commit off: every write they make is fenced and repeatable,
   * so a database crash that loses the last few hundred milliseconds only makes a job run again
   * (lease expiry or the reconciler), while each commit stops waiting for its WAL flush.
   */
  asyncCommit?: boolean;
  /**
   * Worker processes plan each statement once per connection (generic plans): their batch
   * statements take arrays of ids whose length a plan cannot know, so PostgreSQL would otherwise
   * plan them again at every execution, which costs more than running them. A plan made while the
   * table was nearly empty must not turn into a scan of the full table later, so sequential scans
   * are ruled out too: every worker statement finds its rows through the primary key or a partial
   * index (`id = ANY($ids)` in the batch statements).
   */
  keyedPlans?: boolean;
}

export function buildDataSourceOptions(
  url: string,
  extra: ConnectionTuning = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [
      ExtractionJob,
      DataTable,
      DataTableField,
      DataTableRecord,
      DataTableSourceRows,
      ImportRequest,
      ImportRun,
    ],
    // Compiled (.js in dist) or source (.ts under ts-node/jest): pick the files that sit beside us.
    migrations: [join(projectRoot, 'migrations', __filename.endsWith('.ts') ? '*.ts' : '*.js')],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: extra.poolSize ?? 10,
      ...sessionOptions(extra),
    },
  };
}

function sessionOptions(extra: ConnectionTuning): { options?: string } {
  const settings = [
    ...(extra.asyncCommit ? ['synchronous_commit=off'] : []),
    ...(extra.keyedPlans ? ['plan_cache_mode=force_generic_plan', 'enable_seqscan=off'] : []),
  ];
  return settings.length > 0 ? { options: settings.map((s) => `-c ${s}`).join(' ') } : {};
}
