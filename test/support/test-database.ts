/** A fresh, migrated database per test suite, cloned from this run's template. */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import {
  ADMIN_DATABASE_URL,
  currentRunId,
  databaseUrl,
  templateDatabaseName,
} from '../setup/test-env';

export interface TestDatabase {
  name: string;
  url: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

export async function createTestDatabase(poolSize = 10): Promise<TestDatabase> {
  const runId = currentRunId();
  const name = `extraction_test_${runId}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabaseName(runId)}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const dataSource = new DataSource(buildDataSourceOptions(url, { poolSize }));
  await dataSource.initialize();
  return {
    name,
    url,
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
