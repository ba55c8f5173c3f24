/** Creates the database named in DATABASE_URL if it does not exist, then runs the migrations. */
import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DEFAULT_DATABASE_URL } from '../src/config/defaults';
import { buildDataSourceOptions } from '../src/database/data-source-options';

async function main(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  const adminUrl = new URL(url.toString());
  adminUrl.pathname = '/postgres';
  const admin = new Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`[database] created ${name}`);
    }
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(buildDataSourceOptions(url.toString(), { poolSize: 1 }));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations();
    console.log(`[database] ${applied.length} migration(s) applied`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`[database] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
