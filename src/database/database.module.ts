import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';

/** PostgreSQL through TypeORM; the schema comes only from migrations (run before start). */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        buildDataSourceOptions(config.database.url, {
          poolSize: config.database.poolSize,
          asyncCommit: config.role === 'worker',
          keyedPlans: config.role === 'worker',
        }),
    }),
  ],
})
export class DatabaseModule {}
