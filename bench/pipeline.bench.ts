/**
 * Pipeline throughput: N tiny files through the whole path (create bulk → Bull → worker process
 * claims → trivial extraction in the thread pool → complete, with all database tracking), against
 * a bare Bull queue with a no-op processor and no database on the same Redis, in the same run.
 * Both first run a warm-up round that is left out, then several measured rounds. Prints files/s for both, their ratio, SQL
 * statements per file (counted by the service's own metric), CPU time per file by process and the
 * worker's memory at the start, middle and end of the run.
 *   npx ts-node --transpile-only bench/pipeline.bench.ts [N]
 *   env: BENCH_CONCURRENCY (Bull concurrency of both), BENCH_WORKERS (worker processes),
 *        BENCH_ROUNDS (measured rounds; the median one is printed in full)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig } from '../src/config/app-config';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { ExtractionJobService } from '../src/extraction/jobs/extraction-job.service';
import { MetricsService } from '../src/metrics/metrics.service';
import { STORAGE_DRIVER, StorageDriver } from '../src/storage';
import { startServiceProcess } from '../test/support/worker-process';
import { bullThroughput } from './support/bull-throughput';
import { startCpuMeter } from './support/process-cpu';
import { createScratchDatabase } from './support/scratch-database';

const N = Number(process.argv[2] ?? 6000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? Math.min(1000, Math.ceil(N / 4)));
// Tiny files make the work I/O-bound: many files in flight per worker, for both sides alike.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const STATEMENTS_METRIC = 'extraction_database_statements_total';
const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function main(): Promise<void> {
  const database = await createScratchDatabase(ADMIN_URL, 'bench');
  try {
    await benchmark(database.url);
  } finally {
    await database.drop();
  }
}

async function benchmark(databaseUrl: string): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const ds = new DataSource(buildDataSourceOptions(databaseUrl, { poolSize: 2 }));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();

  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: `bench-${id}`,
    STORAGE_LOCAL_DIR: mkdtempSync(join(tmpdir(), 'bench-storage-')),
    EXTRACTOR_OVERRIDES: join(__dirname, '..', 'test', 'support', 'test-extractors.js'),
    WORKER_CONCURRENCY: String(CONCURRENCY),
    EXTRACTOR_THREADS: '2',
    PROGRESS_INTERVAL_MS: '1000',
    // Not 'production': the test extractors (EXTRACTOR_OVERRIDES) are refused there.
    // Every file here has the same bytes: reuse (issue 16) would skip the extractions measured.
    RESULT_REUSE: 'off',
    NODE_ENV: 'test',
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

  const workers = [worker, ...extraWorkers];
  const apiMetrics = api.get(MetricsService);
  /** SQL statements sent so far by the worker processes and the bench's API side. */
  const statementsSent = async () => {
    const own = (await apiMetrics.databaseStatements.get()).values[0]?.value ?? 0;
    const theirs = await Promise.all(workers.map((w) => metricOf(w.port, STATEMENTS_METRIC)));
    return own + theirs.reduce((a, b) => a + b, 0);
  };

  try {
    const fileUrl = storage.urlFor((await storage.putBuffer('bench/tiny.dxf', 'ok')).key);
    /** One bulk of n tiny files, polled until settled; answers the seconds and the polls made. */
    const runBulk = async (n: number, onHalfway = async () => {}) => {
      const files = Array.from({ length: n }, (_, i) => ({
        format: 'dxf' as const,
        filename: `f${i}.dxf`,
        fileUrl,
        fileSize: 2,
      }));
      const started = process.hrtime.bigint();
      const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
      const { parent } = await jobs.createBulk({ ownerId: 'bench', files });
      const created = elapsed();
      let polls = 0;
      let halfway = false;
      for (;;) {
        const p = await jobs.get(parent.id);
        polls += 1;
        if (!halfway && p.processedItems >= n / 2) {
          halfway = true;
          await onHalfway();
        }
        if (p.status === 'completed' || p.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return { seconds: elapsed(), created, polls, parentId: parent.id };
    };
    /** Every file must end completed on its first attempt, or the figures mean nothing. */
    const checkOutcome = async (parentId: string, n: number) => {
      const db = new Client({ connectionString: databaseUrl });
      await db.connect();
      const { rows } = await db.query<{ status: string; files: number; retries: number }>(
        `SELECT status, count(*)::int AS files, sum(retry_count)::int AS retries
           FROM extraction_jobs WHERE parent_job_id = $1 GROUP BY status`,
        [parentId],
      );
      await db.end();
      const summary = rows.map((r) => `${r.status} ${r.files} (retries ${r.retries})`).join(', ');
      const clean = rows.length === 1 && rows[0].status === 'completed' && rows[0].files === n;
      if (!clean || rows[0].retries !== 0)
        throw new Error(`Bench files did not all complete at once: ${summary}`);
      return summary;
    };

    // Warm-up (JIT, connection pools, prepared statements), left out of the figures.
    await bullThroughput(REDIS_URL, `bench-bare-warm-${id}`, WARMUP, CONCURRENCY);
    await checkOutcome((await runBulk(WARMUP)).parentId, WARMUP);

    /** One measured round: bare Bull, then the pipeline, each with its CPU per process. */
    const round = async () => {
      const bareCpu = startCpuMeter({
        'bench (Bull)': { pids: [process.pid] },
        redis: { command: 'redis-server' },
      });
      const bare = await bullThroughput(REDIS_URL, `bench-bare-${id}`, N, CONCURRENCY);
      const bareCpuSeconds = bareCpu.stop();

      const statementsBefore = await statementsSent();
      const cpu = startCpuMeter({
        worker: { pids: workers.map((w) => w.pid) },
        postgres: { command: 'postgres' },
        redis: { command: 'redis-server' },
        'bench (API)': { pids: [process.pid] },
      });
      const run = await runBulk(N, async () => {
        memory.push(await memoryOf(worker.port));
      });
      const cpuSeconds = cpu.stop();
      memory.push(await memoryOf(worker.port));
      const statements = (await statementsSent()) - statementsBefore - run.polls;
      const outcome = await checkOutcome(run.parentId, N);
      const pipeline = N / run.seconds;
      return {
        bare,
        pipeline,
        ratio: pipeline / bare,
        statements,
        outcome,
        run,
        bareCpuSeconds,
        cpuSeconds,
      };
    };

    const memory = [await memoryOf(worker.port)];
    const rounds = [];
    for (let i = 0; i < ROUNDS; i += 1) rounds.push(await round());
    // The machine is noisy: the round with the median ratio is reported in full.
    const byRatio = [...rounds].sort((a, b) => a.ratio - b.ratio);
    const median = byRatio[Math.floor(byRatio.length / 2)];
    const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
    const perFile = (seconds: Record<string, number>) =>
      Object.entries(seconds)
        .map(([name, s]) => `${name} ${((s * 1000) / N).toFixed(3)}`)
        .join(', ') || 'n/a (no /proc)';
    console.log(
      `pipeline bench: N=${N} (after a warm-up of ${WARMUP}), ${ROUNDS} round(s), ${workers.length} worker process(es), Bull concurrency ${CONCURRENCY}, 2 extractor threads each`,
    );
    console.log(
      `  ratio per round:                   ${rounds.map((r) => r.ratio.toFixed(2)).join(', ')}  (median round below)`,
    );
    console.log(`  files:                             ${median.outcome}`);
    console.log(`  bare Bull (no-op, no database):   ${median.bare.toFixed(0)} files/s`);
    console.log(`  full pipeline:                     ${median.pipeline.toFixed(0)} files/s`);
    console.log(`  ratio pipeline / bare Bull:        ${median.ratio.toFixed(2)}  (target >= 0.5)`);
    console.log(
      `  SQL statements per file:           ${(median.statements / N).toFixed(2)}  (target <= 4)`,
    );
    console.log(
      `  createBulk (rows + enqueue):       ${median.run.created.toFixed(2)} s of ${median.run.seconds.toFixed(2)} s`,
    );
    console.log(`  CPU ms per file, bare Bull:        ${perFile(median.bareCpuSeconds)}`);
    console.log(`  CPU ms per file, pipeline:         ${perFile(median.cpuSeconds)}`);
    console.log(`  worker RSS over the rounds:        ${memory.map((m) => mb(m.rss)).join(' / ')}`);
    console.log(
      `  worker heap used over the rounds:  ${memory.map((m) => mb(m.heap)).join(' / ')}`,
    );
  } finally {
    await Promise.all([worker, ...extraWorkers].map((w) => w.stop('SIGTERM')));
    await api.close();
  }
}

/** A counter or gauge without labels from a worker's /metrics. */
async function metricOf(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const match = new RegExp(`^${name} (\\S+)`, 'm').exec(text);
  return match ? Number(match[1]) : NaN;
}

/** Resident memory and V8 heap in use of the worker, from its /metrics. */
async function memoryOf(port: number): Promise<{ rss: number; heap: number }> {
  return {
    rss: await metricOf(port, 'extraction_process_process_resident_memory_bytes'),
    heap: await metricOf(port, 'extraction_process_nodejs_heap_size_used_bytes'),
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
