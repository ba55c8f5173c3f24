/**
 * Pipeline throughput: N tiny files through the whole path (create bulk → Bull → worker process
 * claims → trivial extraction in the thread pool → complete, with all database tracking), against
 * a bare Bull queue with a no-op processor and no database on the same Redis, in the same run.
 * Prints files/s for both, their ratio, SQL statements per file (from pg_stat_database) and the
 * worker's memory at the start, middle and end of the run.
 *   npx ts-node --transpile-only bench/pipeline.bench.ts [N]
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig } from '../src/config/app-config';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { ExtractionJobService } from '../src/extraction/extraction-job.service';
import { STORAGE_DRIVER, StorageDriver } from '../src/storage';
import { startServiceProcess } from '../test/support/worker-process';

const N = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function bareBull(prefix: string): Promise<number> {
  const queue = new Bull('bare', REDIS_URL, {
    prefix,
    defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: true },
  });
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    void queue.process('noop', CONCURRENCY, async () => {
      done += 1;
      if (done === N) resolve();
    });
  });
  const started = process.hrtime.bigint();
  await queue.addBulk(
    Array.from({ length: N }, (_, i) => ({
      name: 'noop',
      data: { jobId: `${i}`, attempt: 0 },
      opts: { jobId: `${i}:0` },
    })),
  );
  await finished;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await queue.obliterate({ force: true });
  await queue.close();
  return N / seconds;
}

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const dbName = `extraction_bench_${id}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const ds = new DataSource(buildDataSourceOptions(url.toString(), { poolSize: 2 }));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();

  const env: Record<string, string> = {
    DATABASE_URL: url.toString(),
    REDIS_URL,
    QUEUE_PREFIX: `bench-${id}`,
    STORAGE_LOCAL_DIR: mkdtempSync(join(tmpdir(), 'bench-storage-')),
    EXTRACTOR_OVERRIDES: join(__dirname, '..', 'test', 'support', 'test-extractors.js'),
    WORKER_CONCURRENCY: String(CONCURRENCY),
    EXTRACTOR_THREADS: '2',
    PROGRESS_INTERVAL_MS: '1000',
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(24).toString('hex'),
    LOG_FORMAT: 'json',
    PGOPTIONS: process.env.PGOPTIONS ?? '',
  };
  const config = AppConfig.fromEnvironment({}, { ...env, ROLE: 'api' });
  const api = await NestFactory.createApplicationContext(AppModule.register(config), {
    logger: ['error'],
  });
  const jobs = api.get(ExtractionJobService);
  const storage = api.get<StorageDriver>(STORAGE_DRIVER);
  const worker = await startServiceProcess({ ...env, ROLE: 'worker' });
  // More worker processes (BENCH_WORKERS) show whether one worker's main thread is the limit.
  const extraWorkers = await Promise.all(
    Array.from({ length: Number(process.env.BENCH_WORKERS ?? 1) - 1 }, () =>
      startServiceProcess({ ...env, ROLE: 'worker' }),
    ),
  );

  try {
    const bare = await bareBull(`bench-bare-${id}`);
    const fileUrl = storage.urlFor((await storage.putBuffer('bench/tiny.dxf', 'ok')).key);
    const files = Array.from({ length: N }, (_, i) => ({
      format: 'dxf' as const,
      filename: `f${i}.dxf`,
      fileUrl,
      fileSize: 2,
    }));
    const commitsBefore = await commits(admin, dbName);
    const memory = [await memoryOf(worker.port)];
    const started = process.hrtime.bigint();
    const { parent } = await jobs.createBulk({ ownerId: 'bench', files });
    let sampledMiddle = false;
    for (;;) {
      const p = await jobs.get(parent.id);
      if (!sampledMiddle && p.processedItems >= N / 2) {
        memory.push(await memoryOf(worker.port));
        sampledMiddle = true;
      }
      if (p.status === 'completed' || p.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    memory.push(await memoryOf(worker.port));
    await new Promise((r) => setTimeout(r, 1000)); // let the statistics flush
    const statements = (await commits(admin, dbName)) - commitsBefore;
    const pipeline = N / seconds;
    const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
    console.log(
      `pipeline bench: N=${N}, ${1 + extraWorkers.length} worker process(es), Bull concurrency ${CONCURRENCY}, 2 extractor threads each`,
    );
    console.log(`  bare Bull (no-op, no database):  ${bare.toFixed(0)} files/s`);
    console.log(`  full pipeline:                    ${pipeline.toFixed(0)} files/s`);
    console.log(
      `  ratio pipeline / bare Bull:       ${(pipeline / bare).toFixed(2)}  (target >= 0.5)`,
    );
    console.log(
      `  SQL statements per file:          ${(statements / N).toFixed(2)}  (target <= 4; includes the polling reads of this bench)`,
    );
    console.log(`  worker RSS start / middle / end:  ${memory.map((m) => mb(m.rss)).join(' / ')}`);
    console.log(`  worker heap used start/mid/end:   ${memory.map((m) => mb(m.heap)).join(' / ')}`);
  } finally {
    await Promise.all([worker, ...extraWorkers].map((w) => w.stop('SIGTERM')));
    await api.close();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}

/** Committed transactions of the database: every autocommit statement is one. */
async function commits(admin: Client, db: string): Promise<number> {
  await admin.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await admin.query<{ n: string }>(
    'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1',
    [db],
  );
  return Number(rows[0].n);
}

/** Resident memory and V8 heap in use of the worker, from its /metrics. */
async function memoryOf(port: number): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const read = (name: string) => {
    const match = new RegExp(`^${name} (\\S+)`, 'm').exec(text);
    return match ? Number(match[1]) : NaN;
  };
  return {
    rss: read('extraction_process_process_resident_memory_bytes'),
    heap: read('extraction_process_nodejs_heap_size_used_bytes'),
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
