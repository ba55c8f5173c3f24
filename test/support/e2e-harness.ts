/**
 * The whole service for e2e suites: the HTTP app in-process (role api, supertest), a worker child
 * process with the real extractors, a fresh migrated database, a Redis prefix of its own, and
 * storage on a local folder or on a real S3-compatible server (s3rver) on loopback.
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { HostModules } from '../../src/app.module';
import { buildApplication } from '../../src/bootstrap';
import { AppConfig } from '../../src/config/app-config';
import { STORAGE_DRIVER, StorageDriver } from '../../src/storage';
import { currentRunId, redisPrefix, TEST_REDIS_URL } from '../setup/test-env';
import { RecordedResponse, responseRecorder } from './openapi-contract';
import { startS3Server, S3TestServer } from './s3-server';
import { createTestDatabase, TestDatabase } from './test-database';
import { ServiceProcess, startServiceProcess } from './worker-process';

export type StorageKind = 'local' | 's3';
export const E2E_JWT_SECRET = 'e2e-secret-0123456789abcdef';
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
export const SYNC_MAX_BYTES = 512 * 1024;

export interface E2eHarness {
  db: TestDatabase;
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  storage: StorageDriver;
  worker: ServiceProcess;
  s3?: S3TestServer;
  /** The environment of the app and the worker (ROLE aside), for extra apps on the same services. */
  env: Record<string, string>;
  /** Every response the app sent, for the check against the OpenAPI document. */
  responses: RecordedResponse[];
  token(userId: string, superuser?: boolean): string;
  close(): Promise<void>;
}

export async function createE2eHarness(
  kind: StorageKind,
  extraEnv: Record<string, string> = {},
  host: HostModules = {},
): Promise<E2eHarness> {
  const db = await createTestDatabase(10);
  const s3 = kind === 's3' ? await startS3Server() : undefined;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `${redisPrefix(currentRunId())}-${randomBytes(3).toString('hex')}`,
    JWT_SECRET: E2E_JWT_SECRET,
    MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
    SYNC_MAX_BYTES: String(SYNC_MAX_BYTES),
    WORKER_CONCURRENCY: '2',
    LEASE_SECONDS: '10',
    SWEEP_INTERVAL_SECONDS: '0.5',
    RETRY_BASE_SECONDS: '1',
    RETRY_JITTER: '0',
    EXTRACTION_TIMEOUT_SECONDS: '60',
    ...(s3
      ? {
          STORAGE_DRIVER: 's3',
          S3_BUCKET: s3.bucket,
          S3_ENDPOINT: s3.endpoint,
          S3_REGION: s3.region,
          S3_FORCE_PATH_STYLE: 'true',
          S3_ACCESS_KEY_ID: s3.accessKeyId,
          S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        }
      : {
          STORAGE_DRIVER: 'local',
          STORAGE_LOCAL_DIR: mkdtempSync(join(tmpdir(), 'e2e-storage-')),
        }),
    ...extraEnv,
  };
  const config = AppConfig.fromEnvironment({}, { ...env, ROLE: 'api' });
  const app = await buildApplication(
    config,
    (module) => NestFactory.create(module, { logger: ['error'] }),
    host,
  );
  const responses: RecordedResponse[] = [];
  app.use(responseRecorder(responses)); // before init(): ahead of every route
  await app.init();
  const worker = await startServiceProcess({ ...env, ROLE: 'worker' });
  const jwt = new JwtService({ secret: E2E_JWT_SECRET });
  return {
    db,
    app,
    http: () => request(app.getHttpServer()),
    storage: app.get<StorageDriver>(STORAGE_DRIVER),
    worker,
    s3,
    env,
    responses,
    token: (userId, superuser = false) =>
      jwt.sign({ sub: userId, is_superuser: superuser }, { algorithm: 'HS256', expiresIn: '1h' }),
    async close() {
      await worker.stop('SIGKILL');
      await app.close();
      await s3?.close();
      await db.close();
    },
  };
}

/** Polls until `probe` answers something truthy. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
