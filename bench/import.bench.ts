/**
 * Import into the built-in tables: N rows of a generated BOM result (a completed job) through
 * ImportService — job load, rows, mapping, coercion, field creation, batched multi-row INSERTs in
 * one transaction — against the limit: a bare multi-row INSERT of the same JSONB values into a
 * plain table, same batch size, one transaction, same database, same run.
 *   npx ts-node --transpile-only bench/import.bench.ts [N]     env: BENCH_ROUNDS (default 3)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig } from '../src/config/app-config';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { INSERT_BATCH_SIZE } from '../src/import/import-executor';
import { ImportService } from '../src/import/import.service';
import { BuiltinTableStore } from '../src/tables/builtin/builtin-table-store';
import { createScratchDatabase } from './support/scratch-database';

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const MATERIALS = ['S235JR', '42CrMo4', 'EN-GJL-250', 'AlMg3', '1.4301'];

function bomResult(n: number): Record<string, unknown> {
  const items = Array.from({ length: n }, (_, i) => ({
    item_id: String(i + 1),
    part_number: `P-${String(100000 + i)}`,
    description: `Part ${i + 1} bracket M${6 + (i % 10)}`,
    quantity: String(1 + (i % 12)),
    material: MATERIALS[i % MATERIALS.length],
    revision: String.fromCharCode(65 + (i % 5)),
    parent_id: null,
    level: 1,
  }));
  return {
    source_file: 'bench.xlsx',
    source_type: 'bom',
    success: true,
    metadata: {},
    errors: [],
    warnings: [],
    bom: { items, headers: [], total_items: n, hierarchy_level: 1, is_flat: true },
    sheets: [],
  };
}

/** Peak RSS of this process while `work` runs (sampled every 20 ms). */
async function measure<T>(
  work: () => Promise<T>,
): Promise<{ value: T; ms: number; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  try {
    const value = await work();
    return {
      value,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
      peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20,
    };
  } finally {
    clearInterval(timer);
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const database = await createScratchDatabase(ADMIN_URL, 'import');
  const migrator = new DataSource(buildDataSourceOptions(database.url));
  await migrator.initialize();
  await migrator.runMigrations();
  await migrator.destroy();
  const config = AppConfig.fromEnvironment(
    {},
    {
      DATABASE_URL: database.url,
      REDIS_URL,
      QUEUE_PREFIX: `bench-import-${randomBytes(3).toString('hex')}`,
      ROLE: 'api',
      LOG_LEVEL: 'warn',
      // Measured in the request path: a worker run adds only a status row and a queue message.
      IMPORT_ASYNC_ROWS: String(N + 1),
    },
  );
  const app = await NestFactory.createApplicationContext(AppModule.register(config), {
    logger: ['error'],
  });
  const pool = new Pool({ connectionString: database.url, max: 2 });
  try {
    const imports = app.get(ImportService);
    const store = app.get(BuiltinTableStore);
    const result = bomResult(N);
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO extraction_jobs (owner_id, status, format, filename, result, progress, completed_at)
       VALUES ('bench', 'completed', 'bom', 'bench.xlsx', $1, 100, now()) RETURNING id`,
      [JSON.stringify(result)],
    );
    const jobId = rows[0].id;
    await pool.query(
      `CREATE TABLE bare_records (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "values" jsonb NOT NULL)`,
    );
    const lines: string[] = [];
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const table = await store.createTable('bench', {
        name: `Parts ${round}`,
        fields: [
          { name: 'Part number', type: 'text' },
          { name: 'Description', type: 'text' },
          { name: 'Quantity', type: 'number' },
          { name: 'Material', type: 'text' },
          { name: 'Revision', type: 'text' },
        ],
      });
      const id = (name: string) => table.fields.find((f) => f.name === name)!.id;
      const mapping = {
        part_number: id('Part number'),
        description: id('Description'),
        quantity: id('Quantity'),
        material: id('Material'),
        revision: id('Revision'),
      };
      // The same JSONB values the import writes, built before the clock starts.
      const items = (result.bom as { items: Record<string, string>[] }).items;
      const values = items.map((item) =>
        JSON.stringify({
          [mapping.part_number]: item.part_number,
          [mapping.description]: item.description,
          [mapping.quantity]: Number(item.quantity),
          [mapping.material]: item.material,
          [mapping.revision]: item.revision,
        }),
      );
      await pool.query('TRUNCATE bare_records');
      const bare = await measure(async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          for (let start = 0; start < values.length; start += INSERT_BATCH_SIZE) {
            await client.query(
              `INSERT INTO bare_records ("values") SELECT v FROM unnest($1::jsonb[]) AS v`,
              [values.slice(start, start + INSERT_BATCH_SIZE)],
            );
          }
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      });
      const imported = await measure(() =>
        imports.importRows(
          'bench',
          {
            jobId,
            tableId: table.id,
            fieldMapping: mapping,
            createMissingFields: false,
            skipErrors: true,
            rowIndices: null,
            recordType: null,
            allowDuplicates: false,
            allowPartial: false,
          },
          null,
        ),
      );
      if (!('records_imported' in imported.value) || imported.value.records_imported !== N) {
        throw new Error(
          `not imported in the request: ${JSON.stringify(imported.value).slice(0, 200)}`,
        );
      }
      const bareRate = N / (bare.ms / 1000);
      const importRate = N / (imported.ms / 1000);
      ratios.push(importRate / bareRate);
      lines.push(
        `round ${round}: bare INSERT ${Math.round(bareRate)} rows/s (${Math.round(bare.ms)} ms, peak RSS ${Math.round(bare.peakMb)} MB)` +
          ` | import ${Math.round(importRate)} rows/s (${Math.round(imported.ms)} ms, peak RSS ${Math.round(imported.peakMb)} MB)` +
          ` | ratio ${(importRate / bareRate).toFixed(2)}`,
      );
      console.log(lines[lines.length - 1]);
    }
    console.log(
      `import of ${N} BOM rows: ratio to a bare multi-row INSERT (median of ${ROUNDS}) ${median(ratios).toFixed(2)} (target >= 0.5)`,
    );
  } finally {
    await pool.end();
    await app.close();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
