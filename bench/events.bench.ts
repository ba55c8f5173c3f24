/**
 * Cost of job events on the pipeline (issue 15): runs the pipeline bench twice in child processes,
 * without the relay (EVENTS_ENABLED=false; the outbox row is still written by the state change)
 * and with the relay and one in-process subscriber (bench/support/event-subscriber.js) in every
 * worker, alternating, and compares files per second. Target: at most 10 % fewer.
 *   npx ts-node --transpile-only bench/events.bench.ts [N]
 *   env: BENCH_PAIRS (off/on pairs, default 2), BENCH_ROUNDS (measured rounds of each pipeline
 *        run, default 1), and the pipeline bench's own (BENCH_WORKERS, BENCH_CONCURRENCY)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const N = process.argv[2] ?? '3000';
const PAIRS = Number(process.env.BENCH_PAIRS ?? 2);

function pipeline(env: Record<string, string>): number {
  const run = spawnSync(
    process.execPath,
    [
      join(__dirname, '..', 'node_modules', 'ts-node', 'dist', 'bin.js'),
      '--transpile-only',
      join(__dirname, 'pipeline.bench.ts'),
      N,
    ],
    {
      env: { ...process.env, BENCH_ROUNDS: process.env.BENCH_ROUNDS ?? '1', ...env },
      encoding: 'utf8',
    },
  );
  const match = /full pipeline:\s+(\d+) files\/s/.exec(run.stdout);
  if (run.status !== 0 || !match)
    throw new Error(`pipeline bench failed:\n${run.stdout}\n${run.stderr}`);
  return Number(match[1]);
}

const off: number[] = [];
const on: number[] = [];
for (let i = 0; i < PAIRS; i += 1) {
  off.push(pipeline({ EVENTS_ENABLED: 'false' }));
  on.push(
    pipeline({
      EVENTS_ENABLED: 'true',
      EVENT_SUBSCRIBER_MODULE: join(__dirname, 'support', 'event-subscriber.js'),
    }),
  );
  console.log(
    `  pair ${i + 1}: relay off ${off[i]} files/s, relay + 1 subscriber ${on[i]} files/s`,
  );
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const change = median(on) / median(off) - 1;
console.log(`events pipeline bench: N=${N}, ${PAIRS} pair(s), medians:`);
console.log(`  relay off (outbox rows written):   ${median(off)} files/s`);
console.log(`  relay + one in-process subscriber: ${median(on)} files/s`);
console.log(`  change: ${(change * 100).toFixed(1)} %  (target >= -10 %)`);
