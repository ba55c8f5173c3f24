/**
 * Bull on the configured Redis. Retries are decided by the database, so Bull's own `attempts`
 * stays 1; finished messages are removed so Redis memory stays flat.
 */
import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { EXTRACTION_QUEUE } from './extraction-queue.constants';
import { IMPORT_QUEUE } from './import-queue.constants';

@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        redis: config.redis.url,
        prefix: config.redis.prefix,
        defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: true },
        // After a Redis error Bull waits this long before taking messages again (default 5 s):
        // short, so workers resume within a second of Redis coming back.
        settings: { retryProcessDelay: 500 },
      }),
    }),
    BullModule.registerQueue({ name: EXTRACTION_QUEUE }),
    BullModule.registerQueue({ name: IMPORT_QUEUE }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
