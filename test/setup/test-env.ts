/**
 * Names of this test run's isolated resources. Global setup creates them and stores the run id
 * in an environment variable that Jest passes to its workers.
 */
import { randomBytes } from 'node:crypto';

export const ADMIN_DATABASE_URL =
  process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function newRunId(): string {
  return `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export function currentRunId(): string {
  const id = process.env.EXTRACTION_TEST_RUN_ID;
  if (!id)
    throw new Error('EXTRACTION_TEST_RUN_ID is not set: run tests through jest (global setup)');
  return id;
}

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export const templateDatabaseName = (runId: string): string => `extraction_test_${runId}_tmpl`;
export const redisPrefix = (runId: string): string => `test-${runId}`;
