/**
 * Everything a processing test needs: its own database (real migrations), its own Redis key
 * prefix, a local storage folder, an in-process API-role application for creating jobs, and
 * worker child processes running the test extractors (test/support/test-extractors.js).
 */
import 'reflect-metadata';
import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config/app-config';
import { ExtractionJob } from '../../src/extraction/entities/extraction-job.entity';
import { ExtractionJobService } from '../../src/extraction/jobs/extraction-job.service';
import { STORAGE_DRIVER, StorageDriver } from '../../src/storage';
import { currentRunId, redisPrefix, TEST_REDIS_URL } from '../setup/test-env';
import { createTestDatabase, TestDatabase } from './test-database';
import { ServiceProcess, startServiceProcess } from './worker-process';

export const TEST_EXTRACTORS = join(__dirname, 'test-extractors.js');

export interface PipelineHarness {
  db: TestDatabase;
  env: Record<string, string>;
  api: INestApplicationContext;
  jobs: ExtractionJobService;
  storage: StorageDriver;
  workers: ServiceProcess[];
  startWorker(extra?: Record<string, string>): Promise<ServiceProcess>;
  /** Stores a file whose text tells the test extractor what to do; returns its file_url. */
  storeFile(name: string, command: string): Promise<string>;
  createBulk(
    commands: string[],
    ownerId?: string,
  ): Promise<{ parent: ExtractionJob; children: ExtractionJob[] }>;
  waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined | null | false>,
    timeoutMs?: number,
  ): Promise<T>;
  close(): Promise<void>;
}

export async function createPipelineHarness(
  overrides: Record<string, string> = {},
): Promise<PipelineHarness> {
  const db = await createTestDatabase(10);
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `${redisPrefix(currentRunId())}-${randomBytes(3).toString('hex')}`,
    STORAGE_DRIVER: 'local',
    STORAGE_LOCAL_DIR: mkdtempSync(join(tmpdir(), 'extraction-storage-')),
    EXTRACTOR_OVERRIDES: TEST_EXTRACTORS,
    WORKER_CONCURRENCY: '4',
    EXTRACTOR_MEMORY_MB: '128',
    EXTRACTION_TIMEOUT_SECONDS: '10',
    LEASE_SECONDS: '2',
    PROGRESS_INTERVAL_MS: '200',
    SWEEP_INTERVAL_SECONDS: '0.5',
    SWEEP_BATCH_SIZE: '100',
    RECONCILE_AFTER_SECONDS: '2',
    RETRY_BASE_SECONDS: '1',
    RETRY_CAP_SECONDS: '2',
    RETRY_JITTER: '0',
    SHUTDOWN_GRACE_SECONDS: '10',
    ...overrides,
  };
  const config = AppConfig.fromEnvironment({}, { ...env, ROLE: 'api', NODE_ENV: 'test' });
  Logger.overrideLogger(['error']);
  const api = await NestFactory.createApplicationContext(AppModule.register(config), {
    logger: ['error'],
  });
  const jobs = api.get(ExtractionJobService);
  const storage = api.get<StorageDriver>(STORAGE_DRIVER);
  const workers: ServiceProcess[] = [];
  let files = 0;

  const harness: PipelineHarness = {
    db,
    env,
    api,
    jobs,
    storage,
    workers,
    async startWorker(extra = {}) {
      const worker = await startServiceProcess({ ...env, ROLE: 'worker', ...extra });
      workers.push(worker);
      return worker;
    },
    async storeFile(name, command) {
      files += 1;
      const key = `owner/files/${files}-${name}`;
      await storage.putBuffer(key, command);
      return storage.urlFor(key);
    },
    async createBulk(commands, ownerId = 'user-a') {
      const list = [];
      for (const [i, command] of commands.entries()) {
        const filename = `file-${String(i).padStart(3, '0')}.dxf`;
        list.push({
          format: 'dxf' as const,
          filename,
          fileUrl: await harness.storeFile(filename, command),
          fileSize: command.length,
        });
      }
      return jobs.createBulk({ ownerId, files: list });
    },
    async waitFor(what, probe, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.stop('SIGKILL')));
      await api.close();
      await db.close();
    },
  };
  return harness;
}
