/**
 * The application, composed by role: every process gets configuration, database, queue, storage,
 * metrics, health and the job core; `api` adds the HTTP API, `worker` the processor and sweeps,
 * `all` (local development) both.
 */
import { DynamicModule, ForwardReference, Module, Type } from '@nestjs/common';
import { ApiModule } from './api/api.module';
import { AppConfig } from './config/app-config';
import { QueueDashboardModule } from './queue-dashboard/queue-dashboard.module';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ExtractionWorkerModule } from './extraction/extraction-worker.module';
import { ExtractionModule } from './extraction/extraction.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { QueueModule } from './queue/queue.module';
import { StorageModule } from './storage';
import { ImportWorkerModule } from './import/import-worker.module';
import { BuiltinTablesApiModule } from './tables/builtin/builtin-tables-api.module';
import { BuiltinTablesModule } from './tables/builtin/builtin-tables.module';
import { UnavailableTablesModule } from './tables/unavailable-tables.module';

type ModuleImport = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

export interface HostModules {
  /**
   * A host application's global module that provides TABLE_GATEWAY; replaces TABLES_DRIVER's
   * choice (built-in tables, or none).
   */
  tables?: ModuleImport;
}

@Module({})
export class AppModule {
  static register(config: AppConfig, host: HostModules = {}): DynamicModule {
    const roleModules: ModuleImport[] = [];
    const builtinTables = !host.tables && config.tables.driver === 'builtin';
    // Both roles need TABLE_GATEWAY: the API imports small batches, workers the large ones.
    roleModules.push(
      host.tables ?? (builtinTables ? BuiltinTablesModule : UnavailableTablesModule),
    );
    if (config.runsApi) {
      roleModules.push(ApiModule, QueueDashboardModule);
      if (builtinTables) roleModules.push(BuiltinTablesApiModule);
    }
    if (config.runsWorker) roleModules.push(ExtractionWorkerModule, ImportWorkerModule);
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule,
        QueueModule,
        StorageModule.forRootAsync({
          isGlobal: true,
          inject: [AppConfig],
          useFactory: (c: AppConfig) => ({
            driver: c.storage.driver,
            localRoot: c.storage.localRoot,
            s3: c.storage.s3,
          }),
        }),
        MetricsModule,
        HealthModule,
        ExtractionModule,
        EventsModule,
        ...roleModules,
      ],
    };
  }
}
