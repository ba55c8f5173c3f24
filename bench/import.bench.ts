/**
 * Import into the built-in tables: N rows of a generated BOM result (a completed job, result
 * inline) through ImportService — rows streamed out of the result, mapping, coercion, batched
 * multi-row INSERTs in one transaction — against the limit: a bare multi-row INSERT of the same
 * JSONB values into a plain table, same batch size, one transaction, same database, same run.
 * Beside them, two floors that show where the import's time goes: reading the rows only (the
 * stream, no write) and writing the same records only (the store's INSERTs with provenance and
 * the never-twice ledger, values built before the clock starts).
 * Memory: RSS when each phase starts and its peak (garbage waiting for collection included); the
 * generated result is dropped (and garbage collected) before the phases. Then one untimed import
 * with a full GC every 100 ms gives the live heap it holds at most: flat means this does not
 * follow N (compare two sizes).
 *   npx ts-node --transpile-only bench/import.bench.ts [N]     env: BENCH_ROUNDS (default 3),
 *   BENCH_IMPORT_PROFILE=file.cpuprofile (a CPU profile of the last round's import phase)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig } from '../src/config/app-config';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { INSERT_BATCH_SIZE } from '../src/import/import-executor';
import { ImportService } from '../src/import/import.service';
import { JobRowsSource } from '../src/import/job-rows.source';
import { STORAGE_DRIVER, StorageDriver } from '../src/storage';
import { BuiltinTableStore } from '../src/tables/builtin/builtin-table-store';
import { createScratchDatabase } from './support/scratch-database';

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const MATERIALS = ['S235JR', '42CrMo4', 'EN-GJL-250', 'AlMg3', '1.4301'];

const item = (i: number) => ({
  item_id: String(i + 1),
  part_number: `P-${String(100000 + i)}`,
  description: `Part ${i + 1} bracket M${6 + (i % 10)}`,
  quantity: String(1 + (i % 12)),
  material: MATERIALS[i % MATERIALS.length],
  revision: String.fromCharCode(65 + (i % 5)),
  parent_id: null,
  level: 1,
});

function bomResult(n: number): Record<string, unknown> {
  const items = Array.from({ length: n }, (_, i) => item(i));
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

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Phase<T> {
  value: T;
  ms: number;
  startMb: number;
  peakMb: number;
}

/** Time of `work`, and RSS when it starts (after a full GC) and at its peak (sampled every 10 ms). */
async function measure<T>(work: () => Promise<T>): Promise<Phase<T>> {
  gc();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = process.hrtime.bigint();
  try {
    const value = await work();
    return {
      value,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
      startMb: start / 2 ** 20,
      peakMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20,
    };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The most live heap `work` holds above what was live when it started: a full GC every 100 ms,
 * heap used read after it. RSS and heap peaks also count garbage that waits for its collection;
 * this does not. Untimed (the GCs slow the work down).
 */
async function liveHeapGrowth(work: () => Promise<unknown>): Promise<number> {
  gc();
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const timer = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 100);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return (peak - start) / 2 ** 20;
}

const mb = (x: number) => Math.round(x);
const describePhase = (name: string, phase: Phase<unknown>) =>
  `${name} ${Math.round(N / (phase.ms / 1000))} rows/s (${Math.round(phase.ms)} ms, RSS ${mb(phase.startMb)} → peak ${mb(phase.peakMb)} MB, +${mb(phase.peakMb - phase.startMb)})`;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const storageDir = mkdtempSync(join(tmpdir(), 'bench-import-'));
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
      STORAGE_DRIVER: 'local',
      STORAGE_LOCAL_DIR: storageDir,
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
    const source = app.get(JobRowsSource);
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO extraction_jobs (owner_id, status, format, filename, result, progress, completed_at)
       VALUES ('bench', 'completed', 'bom', 'bench.xlsx', $1, 100, now()) RETURNING id`,
      [JSON.stringify(bomResult(N))],
    );
    const jobId = rows[0].id;
    await pool.query(
      `CREATE TABLE bare_records (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "values" jsonb NOT NULL)`,
    );
    const ratios: number[] = [];
    const growths: number[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const fields = [
        { name: 'Part number', type: 'text' as const },
        { name: 'Description', type: 'text' as const },
        { name: 'Quantity', type: 'number' as const },
        { name: 'Material', type: 'text' as const },
        { name: 'Revision', type: 'text' as const },
      ];
      const table = await store.createTable('bench', { name: `Parts ${round}`, fields });
      const floorTable = await store.createTable('bench', { name: `Floor ${round}`, fields });
      const mappingOf = (t: typeof table) => {
        const id = (name: string) => t.fields.find((f) => f.name === name)!.id;
        return {
          part_number: id('Part number'),
          description: id('Description'),
          quantity: id('Quantity'),
          material: id('Material'),
          revision: id('Revision'),
        };
      };
      const mapping = mappingOf(table);
      // The same JSONB values the import writes, built before the clock starts.
      const valuesOf = (m: typeof mapping, i: number) => {
        const it = item(i);
        return {
          [m.part_number]: it.part_number,
          [m.description]: it.description,
          [m.quantity]: Number(it.quantity),
          [m.material]: it.material,
          [m.revision]: it.revision,
        };
      };
      const values = Array.from({ length: N }, (_, i) => JSON.stringify(valuesOf(mapping, i)));
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
      values.length = 0;
      // Floor 1: the store's writes alone (records with provenance, the ledger), values prebuilt.
      const floorMapping = mappingOf(floorTable);
      const records = Array.from({ length: N }, (_, i) => ({
        values: valuesOf(floorMapping, i),
        provenance: {
          source_job_id: jobId,
          source_file: 'bench.xlsx',
          row_index: i,
          record_type: 'items',
        },
      }));
      const write = await measure(() =>
        store.inTransaction(async (tx) => {
          for (let start = 0; start < N; start += INSERT_BATCH_SIZE) {
            await store.insertRecords(
              tx,
              floorTable.id,
              records.slice(start, start + INSERT_BATCH_SIZE),
              false,
            );
          }
        }),
      );
      records.length = 0;
      // Floor 2: the rows streamed out of the job's result, nothing written.
      const read = await measure(async () => {
        const { rows: stream } = await source.stream('bench', jobId, {});
        let n = 0;
        for await (const batch of stream.batches(INSERT_BATCH_SIZE)) n += batch.length;
        if (n !== N) throw new Error(`read ${n} rows, not ${N}`);
      });
      const profile = process.env.BENCH_IMPORT_PROFILE && round === ROUNDS ? new Session() : null;
      if (profile) {
        profile.connect();
        await profile.post('Profiler.enable');
        await profile.post('Profiler.start');
      }
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
      if (profile) {
        const { profile: taken } = await profile.post('Profiler.stop');
        writeFileSync(process.env.BENCH_IMPORT_PROFILE!, JSON.stringify(taken));
        profile.disconnect();
      }
      if (!('records_imported' in imported.value) || imported.value.records_imported !== N) {
        throw new Error(
          `not imported in the request: ${JSON.stringify(imported.value).slice(0, 200)}`,
        );
      }
      const ratio = bare.ms / imported.ms;
      ratios.push(ratio);
      growths.push(imported.peakMb - imported.startMb);
      console.log(
        `round ${round}: ${describePhase('bare INSERT', bare)} | ${describePhase('import', imported)} | ratio ${ratio.toFixed(2)}`,
      );
      console.log(
        `  floors: ${describePhase('write only (store)', write)} = ${(bare.ms / write.ms).toFixed(2)} of bare | ${describePhase('read only (stream)', read)}`,
      );
    }
    // Memory: the most live heap an import holds (untimed runs into tables of their own), from
    // the inline result and from the same result offloaded to storage (a second job).
    const storage = app.get<StorageDriver>(STORAGE_DRIVER);
    const key = `results/bench/import-${N}.json`;
    await storage.putBuffer(key, JSON.stringify(bomResult(N)), { contentType: 'application/json' });
    const stored = await pool.query<{ id: string }>(
      `INSERT INTO extraction_jobs (owner_id, status, format, filename, result_path, progress, completed_at)
       VALUES ('bench', 'completed', 'bom', 'bench.xlsx', $1, 100, now()) RETURNING id`,
      [storage.urlFor(key)],
    );
    const importInto = async (name: string, from: string) => {
      const memoryTable = await store.createTable('bench', {
        name,
        fields: [{ name: 'Part number', type: 'text' }],
      });
      return imports.importRows(
        'bench',
        {
          jobId: from,
          tableId: memoryTable.id,
          fieldMapping: { part_number: memoryTable.fields[0].id },
          createMissingFields: false,
          skipErrors: true,
          rowIndices: null,
          recordType: null,
          allowDuplicates: false,
          allowPartial: false,
        },
        null,
      );
    };
    const live = await liveHeapGrowth(() => importInto('Memory inline', jobId));
    const liveStored = await liveHeapGrowth(() => importInto('Memory stored', stored.rows[0].id));
    const fromStorage = await measure(() => importInto('Timed stored', stored.rows[0].id));
    console.log(
      `import live heap growth (full GC every 100 ms, untimed runs): peak +${live.toFixed(1)} MB for ${N} rows inline, ` +
        `+${liveStored.toFixed(1)} MB from storage`,
    );
    console.log(
      `  ${describePhase('import from storage', fromStorage)} (the result offloaded to storage, as results above 256 KB are)`,
    );
    console.log(
      `import of ${N} BOM rows: ratio to a bare multi-row INSERT (median of ${ROUNDS}) ${median(ratios).toFixed(2)} (target >= 0.5); ` +
        `import RSS growth median ${Math.round(median(growths))} MB = ${((median(growths) / N) * 10_000).toFixed(1)} MB per 10,000 rows`,
    );
  } finally {
    await pool.end();
    await app.close();
    await database.drop();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
