/**
 * Fair scheduling (issue 13) on the real service: an API process and a worker process (built
 * dist/), HTTP calls with bearer tokens, the test extractors (EXTRACTOR_OVERRIDES, bench only)
 * with a CPU cost per file (`busy:<ms>`, default 20 ms).
 *   1. idle: p50/p95 of 20 single jobs of user B (create → completed, polling every 20 ms);
 *   2. the same while user A's 5,000-file bulk runs; ratio busy p95 / (idle p95 + one file's time),
 *      target ≤ 2 (A's bulk is cancelled afterwards);
 *   3. A and B each submit a 2,000-file bulk, B one second after A: files completed per second of
 *      each while both run; target B ≥ 0.8 × A;
 *   4. bytes of GET /bulk/{id} (default parameters) at N = 100, 1,000, 10,000; target < 64 KB.
 *   npx ts-node --transpile-only bench/fairness.bench.ts
 *   env: BENCH_FAIRNESS_SCALE (multiplies the bulk sizes, e.g. 0.2 on a busy machine),
 *        BENCH_FILE_MS (extractor cost per file), BENCH_CONCURRENCY (worker slots, default 2)
 */
import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { startServiceProcess, ServiceProcess } from '../test/support/worker-process';
import { createScratchDatabase } from './support/scratch-database';

const SCALE = Number(process.env.BENCH_FAIRNESS_SCALE ?? 1);
const FILE_MS = Number(process.env.BENCH_FILE_MS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const SINGLES = 20;
const POLL_MS = 20;
const BIG_BULK = Math.round(5000 * SCALE);
const SHARE_BULK = Math.round(2000 * SCALE);
const STATUS_SIZES = [100, 1000, 10_000].map((n) =>
  Math.max(1, Math.round(n * Math.min(1, SCALE * 5))),
);
const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const API = '/api/v1/extraction';

/** A DXF-looking file (passes the upload's signature check) telling the test extractor what to do. */
const commandFile = (command: string) => new Blob([`999\n${command}\n0\nEOF\n`]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function main(): Promise<void> {
  const database = await createScratchDatabase(ADMIN_URL, 'fairness');
  const processes: ServiceProcess[] = [];
  try {
    await benchmark(database.url, processes);
  } finally {
    await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    await database.drop();
  }
}

async function benchmark(databaseUrl: string, processes: ServiceProcess[]): Promise<void> {
  const ds = new DataSource(buildDataSourceOptions(databaseUrl, { poolSize: 2 }));
  await ds.initialize();
  await ds.runMigrations();
  await ds.destroy();
  const secret = randomBytes(24).toString('hex');
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: `bench-fair-${randomBytes(4).toString('hex')}`,
    STORAGE_LOCAL_DIR: mkdtempSync(join(tmpdir(), 'bench-fair-storage-')),
    EXTRACTOR_OVERRIDES: join(__dirname, '..', 'test', 'support', 'test-extractors.js'),
    WORKER_CONCURRENCY: String(CONCURRENCY),
    EXTRACTOR_THREADS: String(CONCURRENCY),
    BULK_MAX_FILES: '10000',
    OWNER_MAX_ACTIVE_FILES: '100000',
    MAX_UPLOAD_BYTES: String(1024 * 1024),
    // Not production: EXTRACTOR_OVERRIDES (the test extractors) is refused there.
    // Every file here has the same bytes: reuse (issue 16) would skip the extractions measured.
    RESULT_REUSE: 'off',
    NODE_ENV: 'test',
    JWT_SECRET: secret,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
  };
  const apiProcess = await startServiceProcess({ ...env, ROLE: 'api', LOG_LEVEL: 'log' });
  processes.push(apiProcess);
  processes.push(await startServiceProcess({ ...env, ROLE: 'worker', LOG_LEVEL: 'log' }));
  const base = `http://127.0.0.1:${apiProcess.port}${API}`;
  const jwt = new JwtService({ secret });
  const auth = (user: string) => ({
    Authorization: `Bearer ${jwt.sign({ sub: user }, { algorithm: 'HS256', expiresIn: '1h' })}`,
  });
  const call = async (method: string, path: string, user: string, body?: FormData) => {
    const res = await fetch(`${base}${path}`, { method, headers: auth(user), body });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return {
      status: res.status,
      bytes: Buffer.byteLength(text),
      body: JSON.parse(text) as Record<string, unknown>,
    };
  };
  const single = async (user: string, command: string): Promise<number> => {
    const form = new FormData();
    form.append('file', commandFile(command), 'single.dxf');
    form.append('format', 'dxf');
    const started = performance.now();
    const { body } = await call('POST', '/jobs', user, form);
    for (;;) {
      const job = (await call('GET', `/jobs/${String(body.id)}`, user)).body;
      if (job.status === 'completed') return performance.now() - started;
      if (job.status === 'failed' || job.status === 'cancelled')
        throw new Error(`single job ${String(body.id)} ${String(job.status)}`);
      await sleep(POLL_MS);
    }
  };
  const bulk = async (user: string, n: number, command: string): Promise<string> => {
    const form = new FormData();
    for (let i = 0; i < n; i += 1) form.append('files', commandFile(command), `f${i}.dxf`);
    const { body } = await call('POST', '/bulk', user, form);
    return String(body.bulk_job_id);
  };
  const completed = async (user: string, id: string) =>
    Number((await call('GET', `/bulk/${id}?files_page_size=1`, user)).body.files_completed);
  const singles = async (user: string) => {
    const times: number[] = [];
    for (let i = 0; i < SINGLES; i += 1) times.push(await single(user, `busy:${FILE_MS}`));
    return { p50: percentile(times, 50), p95: percentile(times, 95) };
  };

  console.log(
    `[fairness] worker slots ${CONCURRENCY}, file cost busy ${FILE_MS} ms, scale ${SCALE} (bulks ${BIG_BULK} / ${SHARE_BULK}, status N ${STATUS_SIZES.join(', ')})`,
  );
  // Warm-up: thread pool, statement plans, JIT.
  for (let i = 0; i < 5; i += 1) await single('user-b', `busy:${FILE_MS}`);

  // 1. idle
  const idle = await singles('user-b');
  console.log(
    `[fairness] idle singles: p50 ${idle.p50.toFixed(0)} ms, p95 ${idle.p95.toFixed(0)} ms`,
  );

  // 2. busy: A's big bulk runs
  let t0 = performance.now();
  const big = await bulk('user-a', BIG_BULK, `busy:${FILE_MS}`);
  console.log(
    `[fairness] A's ${BIG_BULK}-file bulk uploaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  t0 = performance.now();
  const before = await completed('user-a', big);
  const busy = await singles('user-b');
  const bulkRate = ((await completed('user-a', big)) - before) / ((performance.now() - t0) / 1000);
  const ratio = busy.p95 / (idle.p95 + FILE_MS);
  console.log(
    `[fairness] singles while A's bulk runs: p50 ${busy.p50.toFixed(0)} ms, p95 ${busy.p95.toFixed(0)} ms; ` +
      `ratio p95 / (idle p95 + ${FILE_MS} ms) = ${ratio.toFixed(2)} (target ≤ 2); bulk meanwhile ${bulkRate.toFixed(0)} files/s ` +
      `(the whole bulk would take ≈ ${(BIG_BULK / Math.max(1, bulkRate)).toFixed(0)} s)`,
  );
  await call('POST', `/bulk/${big}/cancel`, 'user-a');

  // 3. two owners' bulks
  const a = await bulk('user-a', SHARE_BULK, `busy:${FILE_MS}`);
  await sleep(1000);
  const b = await bulk('user-b', SHARE_BULK, `busy:${FILE_MS}`);
  const samples: Array<{ t: number; a: number; b: number }> = [];
  for (;;) {
    const [ca, cb] = await Promise.all([completed('user-a', a), completed('user-b', b)]);
    samples.push({ t: performance.now(), a: ca, b: cb });
    if (ca >= SHARE_BULK || cb >= SHARE_BULK) break;
    await sleep(500);
  }
  // While both run: from B's first completed file to the first bulk done.
  const from = samples.find((s) => s.b > 0) ?? samples[0];
  const to = samples[samples.length - 1];
  const seconds = (to.t - from.t) / 1000;
  const rateA = (to.a - from.a) / seconds;
  const rateB = (to.b - from.b) / seconds;
  console.log(
    `[fairness] two ${SHARE_BULK}-file bulks over ${seconds.toFixed(1)} s together: A ${rateA.toFixed(1)} files/s, ` +
      `B ${rateB.toFixed(1)} files/s, B/A = ${(rateB / rateA).toFixed(2)} (target ≥ 0.8)`,
  );
  for (const [user, id] of [
    ['user-a', a],
    ['user-b', b],
  ])
    await call('POST', `/bulk/${id}/cancel`, user).catch(() => undefined);

  // 4. bytes of GET /bulk/{id}, default parameters, once its files completed (result_url set)
  for (const n of STATUS_SIZES) {
    const id = await bulk(`user-status-${n}`, n, 'ok');
    const created = (await call('GET', `/bulk/${id}`, `user-status-${n}`)).bytes;
    const deadline = performance.now() + 180_000;
    while ((await completed(`user-status-${n}`, id)) < n && performance.now() < deadline)
      await sleep(500);
    const done = await call('GET', `/bulk/${id}`, `user-status-${n}`);
    console.log(
      `[fairness] GET /bulk/{id} at N = ${n}: ${done.bytes} bytes with ${String(done.body.files_completed)} files completed ` +
        `(${created} bytes right after creation); target < 65,536`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
