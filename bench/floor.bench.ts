/**
 * Floor of the pipeline bench: what bare Bull becomes when each message only does the steps the
 * processing issue requires, with nothing of the service around them. Same process, same Redis,
 * same concurrency, in one run:
 *   bare     no-op processor
 *   thread   a round trip through a worker-thread pool (piscina) per message
 *   rows     claim and complete one row per message in PostgreSQL, batched as the service does
 *   both     rows + thread
 * Rows are created before the timing starts, so this is an optimistic floor.
 * The pipeline bench's target (0.5 of bare Bull) is only reachable if `both` is well above it.
 *   npx ts-node --transpile-only bench/floor.bench.ts [N]      env: BENCH_ROUNDS (default 3)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { Piscina } from 'piscina';
import { StatementBatcher } from '../src/common/statement-batcher';
import { bullThroughput, BullStep } from './support/bull-throughput';
import { createScratchDatabase } from './support/scratch-database';

const N = Number(process.argv[2] ?? 6000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const database = await createScratchDatabase(ADMIN_URL, 'floor');
  const pool = new Pool({ connectionString: database.url, max: 10 });
  const dir = mkdtempSync(join(tmpdir(), 'floor-'));
  const workerFile = join(dir, 'noop-worker.js');
  writeFileSync(
    workerFile,
    'module.exports = async (task) => ({ ok: true, format: task.format });',
  );
  const threads = new Piscina({ filename: workerFile, minThreads: 2, maxThreads: 2 });
  try {
    await pool.query(
      `CREATE TABLE jobs (id int PRIMARY KEY, status text NOT NULL, attempt int NOT NULL,
         worker text, started_at timestamptz, completed_at timestamptz, result jsonb)`,
    );
    const reset = async (n: number) => {
      await pool.query('TRUNCATE jobs');
      await pool.query(
        `INSERT INTO jobs (id, status, attempt) SELECT g, 'pending', 0 FROM generate_series(0, $1) g`,
        [n],
      );
    };
    const claims = new StatementBatcher<number, number>(async (ids) => {
      await pool.query(
        `UPDATE jobs SET status = 'processing', attempt = attempt + 1, worker = 'w', started_at = now()
          WHERE id = ANY($1) AND status = 'pending'`,
        [ids],
      );
      return ids;
    });
    const completions = new StatementBatcher<number, number>(async (ids) => {
      await pool.query(
        `UPDATE jobs SET status = 'completed', completed_at = now(), result = '{"ok":true}'
          WHERE id = ANY($1) AND status = 'processing'`,
        [ids],
      );
      return ids;
    });
    const rows: BullStep = async (i) => {
      await claims.submit(i);
      await completions.submit(i);
    };
    const thread: BullStep = async () => {
      await threads.run({ format: 'dxf', filePath: '/tmp/x' });
    };
    const cases: Record<string, BullStep> = {
      bare: async () => {},
      thread,
      rows,
      both: async (i) => {
        await claims.submit(i);
        await thread(i);
        await completions.submit(i);
      },
    };
    // A warm-up round for every case, then ROUNDS measured ones; the median of each case counts.
    const rates: Record<string, number[]> = {};
    for (let round = 0; round <= ROUNDS; round += 1) {
      for (const [name, step] of Object.entries(cases)) {
        const n = round === 0 ? Math.ceil(N / 4) : N;
        await reset(n);
        const rate = await bullThroughput(
          REDIS_URL,
          `floor-${round}-${name}-${id}`,
          n,
          CONCURRENCY,
          step,
        );
        if (round > 0) (rates[name] ??= []).push(rate);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const results = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
    console.log(
      `floor bench: N=${N}, median of ${ROUNDS} rounds, Bull concurrency ${CONCURRENCY}, one process`,
    );
    for (const [name, rate] of Object.entries(results))
      console.log(
        `  ${name.padEnd(8)} ${rate.toFixed(0).padStart(6)} files/s   ratio to bare ${(rate / results.bare).toFixed(2)}`,
      );
  } finally {
    await threads.destroy();
    await pool.end();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
