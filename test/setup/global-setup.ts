/**
 * Once per Jest run: create a template database with the real migrations applied. Each suite then
 * clones it (test/support/test-database.ts), so suites never share rows and runs never collide.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { ADMIN_DATABASE_URL, databaseUrl, newRunId, templateDatabaseName } from './test-env';

export default async function globalSetup(): Promise<void> {
  // Several tiers (Jest projects) run this in the same process: the first one prepares the run.
  if (process.env.EXTRACTION_TEST_RUN_ID) return;
  const runId = newRunId();
  process.env.EXTRACTION_TEST_RUN_ID = runId;
  const template = templateDatabaseName(runId);
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${template}"`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(buildDataSourceOptions(databaseUrl(template), { poolSize: 2 }));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}
