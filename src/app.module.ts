/**
 * The application, composed by role: every process gets configuration, database, queue, storage,
 * metrics, health and the job core; `api` adds the HTTP API, `worker` the processor and sweeps,
 * `all` (local development) both.
 */
import { DynamicModule, Module, Type } from '@nestjs/common';
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

@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    const roleModules: Type[] = [];
    if (config.runsApi) roleModules.push(ApiModule, QueueDashboardModule);
    if (config.runsWorker) roleModules.push(ExtractionWorkerModule);
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
