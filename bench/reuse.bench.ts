/**
 * Result reuse and content-addressed uploads (issue 16), in one run:
 *  1. a bulk of N real corpus files (../shared/fixtures: DXF, IFC, STEP) of which half are copies
 *     of the other half, with reuse off and with reuse on (RESULT_REUSE=owner): files per second
 *     from creation to the settled bulk, and extractions actually run;
 *  2. create→completed of single files, first extraction against an identical re-upload
 *     (p50/p95);
 *  3. storage bytes (uploads and results) with one object per job against content-addressed
 *     uploads (identical files of an owner share the first one's object, as the API stores them).
 * Distinct contents beyond the corpus's 85 files are corpus files with a comment added (a DXF 999
 * group, an ISO-10303-21 comment), so every file is real and parsed by the real extractors.
 *   npx ts-node --transpile-only bench/reuse.bench.ts      (or: npm run bench -- reuse)
 *   env: BENCH_REUSE_FILES (default 1000; smaller on a slow machine), BENCH_REUSE_SINGLES (40),
 *        BENCH_CONCURRENCY (4), BENCH_THREADS (2), BENCH_ROUNDS (2: off and on alternate, so a
 *        change of load on a shared machine hits both; the worker's CPU seconds are printed too)
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig } from '../src/config/app-config';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { ExtractionFormat } from '../src/extraction/entities/job-enums';
import { ExtractionJobService } from '../src/extraction/jobs/extraction-job.service';
import { STORAGE_DRIVER, StorageDriver } from '../src/storage';
import { buildObjectKey } from '../src/storage/object-key';
import { startServiceProcess } from '../test/support/worker-process';
import { startCpuMeter } from './support/process-cpu';
import { createScratchDatabase } from './support/scratch-database';

const N = Number(process.env.BENCH_REUSE_FILES ?? 1000);
const SINGLES = Number(process.env.BENCH_REUSE_SINGLES ?? 40);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ?? '4';
const THREADS = process.env.BENCH_THREADS ?? '2';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SHARED = resolve(__dirname, '..', '..', 'shared', 'fixtures');
const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface CorpusFile {
  name: string;
  format: ExtractionFormat;
  bytes: Buffer;
}

/** The corpus, in a fixed order. */
function corpus(): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const [folder, format] of [
    ['dxf', 'dxf'],
    ['ifc', 'ifc'],
    ['step', 'step'],
  ] as const) {
    for (const name of readdirSync(join(SHARED, folder)).sort())
      files.push({ name, format, bytes: readFileSync(join(SHARED, folder, name)) });
  }
  return files;
}

/** Variant k of a corpus file: the same drawing or model with a comment that makes it distinct. */
function variant(file: CorpusFile, k: number): CorpusFile {
  if (k === 0) return file;
  const text = file.bytes.toString('latin1');
  const bytes =
    file.format === 'dxf'
      ? `999\nbench variant ${k}\n${text}`
      : text.replace('ISO-10303-21;', `ISO-10303-21;\n/* bench variant ${k} */`);
  const dot = file.name.lastIndexOf('.');
  return {
    name: `${file.name.slice(0, dot)}-v${k}${file.name.slice(dot)}`,
    format: file.format,
    bytes: Buffer.from(bytes, 'latin1'),
  };
}

/** `count` distinct files: the corpus, then its variants, round-robin. */
function distinctFiles(count: number, firstVariant: number): CorpusFile[] {
  const base = corpus();
  return Array.from({ length: count }, (_, i) =>
    variant(base[i % base.length], firstVariant + Math.floor(i / base.length)),
  );
}

/** A fixed shuffle (so copies are interleaved with their originals, some claimed at once). */
function shuffled<T>(items: T[], seed = 16): T[] {
  const out = [...items];
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Bytes of every file under a folder. */
function folderBytes(dir: string, under: string): number {
  let total = 0;
  const walk = (path: string) => {
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    for (const name of names) {
      const full = join(path, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else total += stat.size;
    }
  };
  walk(join(dir, under));
  return total;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

interface RunFigures {
  seconds: number;
  filesPerSecond: number;
  outcome: string;
  extracted: number;
  reused: number;
  uploadBytes: number;
  resultBytes: number;
  /** CPU seconds of the worker process (its extractor threads included) during the bulk. */
  workerCpu: number;
  singles?: { first: number[]; again: number[] };
}

async function run(
  mode: 'off' | 'owner',
  files: CorpusFile[],
  withSingles: boolean,
): Promise<RunFigures> {
  const database = await createScratchDatabase(ADMIN_URL, `reuse_${mode}`);
  const storageDir = mkdtempSync(join(tmpdir(), `bench-reuse-${mode}-`));
  try {
    const ds = new DataSource(buildDataSourceOptions(database.url, { poolSize: 2 }));
    await ds.initialize();
    await ds.runMigrations();
    const env: Record<string, string> = {
      DATABASE_URL: database.url,
      REDIS_URL,
      QUEUE_PREFIX: `bench-reuse-${randomBytes(4).toString('hex')}`,
      STORAGE_DRIVER: 'local',
      STORAGE_LOCAL_DIR: storageDir,
      WORKER_CONCURRENCY: CONCURRENCY,
      EXTRACTOR_THREADS: THREADS,
      EXTRACTION_TIMEOUT_SECONDS: '120',
      PROGRESS_INTERVAL_MS: '1000',
      RESULT_REUSE: mode,
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(24).toString('hex'),
      LOG_FORMAT: 'json',
    };
    const config = AppConfig.fromEnvironment({}, { ...env, ROLE: 'api' });
    const api = await NestFactory.createApplicationContext(AppModule.register(config), {
      logger: ['error'],
    });
    const jobs = api.get(ExtractionJobService);
    const storage = api.get<StorageDriver>(STORAGE_DRIVER);
    const worker = await startServiceProcess({ ...env, ROLE: 'worker' });
    const contentAddressed = mode === 'owner';
    const owner = 'bench';
    /** Stores a file as the API does: with content addressing, an owner's copy is not stored again. */
    const store = async (file: CorpusFile, stored: Map<string, string>) => {
      const hash = sha256(file.bytes);
      const known = contentAddressed ? stored.get(hash) : undefined;
      if (known) return { fileUrl: known, hash };
      const key = buildObjectKey({ ownerId: owner, jobId: randomUUID(), filename: file.name });
      await storage.putBuffer(key, file.bytes);
      const fileUrl = storage.urlFor(key);
      stored.set(hash, fileUrl);
      return { fileUrl, hash };
    };
    try {
      // 1. The bulk.
      const stored = new Map<string, string>();
      const entries = [];
      const cpu = startCpuMeter({ worker: { pids: [worker.pid] } });
      const started = process.hrtime.bigint();
      for (const file of files) {
        const { fileUrl, hash } = await store(file, stored);
        entries.push({
          format: file.format,
          filename: file.name,
          fileUrl,
          fileSize: file.bytes.length,
          contentSha256: hash,
        });
      }
      const { parent } = await jobs.createBulk({ ownerId: owner, files: entries });
      for (;;) {
        const p = await jobs.get(parent.id);
        if (p.status === 'completed' || p.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const workerCpu = cpu.stop().worker ?? NaN;
      const rows: Array<{ status: string; n: number; reused: number }> = await ds.query(
        `SELECT status::text, count(*)::int AS n, count(reused_from)::int AS reused
         FROM extraction_jobs WHERE parent_job_id = $1 GROUP BY status ORDER BY status`,
        [parent.id],
      );
      const reused = rows.reduce((a, r) => a + r.reused, 0);
      const outcome = rows.map((r) => `${r.status} ${r.n}`).join(', ');
      const uploadBytes = folderBytes(storageDir, 'uploads');
      const resultBytes = folderBytes(storageDir, 'results');

      // 2. Singles: first extraction, then an identical re-upload, one at a time.
      let singles: RunFigures['singles'];
      if (withSingles) {
        singles = { first: [], again: [] };
        const timed = async (file: CorpusFile) => {
          const { fileUrl, hash } = await store(file, stored);
          const t0 = process.hrtime.bigint();
          const { job } = await jobs.create({
            ownerId: owner,
            format: file.format,
            filename: file.name,
            fileUrl,
            fileSize: file.bytes.length,
            contentSha256: hash,
          });
          for (;;) {
            const j = await jobs.get(job.id);
            if (j.status === 'completed' || j.status === 'failed') break;
            await new Promise((r) => setTimeout(r, 5));
          }
          return Number(process.hrtime.bigint() - t0) / 1e6;
        };
        // Variants not in the bulk (their first extraction is a real one), spread over the
        // corpus so DXF, IFC and STEP are all among them.
        const pool = distinctFiles(corpus().length, 1000);
        const count = Math.min(SINGLES, pool.length);
        const picked = Array.from(
          { length: count },
          (_, i) => pool[Math.floor(((i + 0.5) * pool.length) / count)],
        );
        for (const file of picked) {
          singles.first.push(await timed(file));
          singles.again.push(await timed(file));
        }
      }
      return {
        seconds,
        filesPerSecond: files.length / seconds,
        outcome,
        extracted: files.length - reused,
        reused,
        uploadBytes,
        resultBytes,
        workerCpu,
        singles,
      };
    } finally {
      await worker.stop('SIGTERM');
      await api.close();
      await ds.destroy();
    }
  } finally {
    await database.drop();
  }
}

async function main(): Promise<void> {
  const half = Math.floor(N / 2);
  const originals = distinctFiles(N - half, 0);
  const copies = originals.slice(0, half).map((f) => ({ ...f, name: `copy-of-${f.name}` }));
  const files = shuffled([...originals, ...copies]);
  console.log(
    `reuse bench: ${files.length} files (${originals.length} distinct, ${copies.length} copies) from ../shared/fixtures, ` +
      `worker concurrency ${CONCURRENCY}, ${THREADS} extractor threads`,
  );
  const rounds: Array<{ off: RunFigures; on: RunFigures }> = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const off = await run('off', files, false);
    const on = await run('owner', files, i === ROUNDS - 1);
    rounds.push({ off, on });
  }
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
  const line = (label: string, r: RunFigures) =>
    console.log(
      `  ${label}: ${r.filesPerSecond.toFixed(1)} files/s (${r.seconds.toFixed(1)} s; ${r.outcome}; extracted ${r.extracted}, reused ${r.reused}; worker CPU ${r.workerCpu.toFixed(1)} s)`,
    );
  rounds.forEach((r, i) => {
    line(`round ${i + 1}, reuse off`, r.off);
    line(`round ${i + 1}, reuse on `, r.on);
  });
  const ratios = rounds.map((r) => r.on.filesPerSecond / r.off.filesPerSecond);
  const cpuRatios = rounds.map((r) => r.off.workerCpu / r.on.workerCpu);
  console.log(
    `  speed-up with reuse per round:     ${ratios.map((x) => `${x.toFixed(2)}x`).join(', ')}  (target >= 1.8; median ${median(ratios).toFixed(2)}x)`,
  );
  console.log(
    `  worker CPU saved per round:        ${cpuRatios.map((x) => `${x.toFixed(2)}x less`).join(', ')}`,
  );
  const { off, on } = rounds[rounds.length - 1];
  if (on.singles && on.singles.first.length > 0) {
    const { first, again } = on.singles;
    console.log(
      `  create->completed, first extraction (${first.length} singles): p50 ${percentile(first, 50).toFixed(0)} ms, p95 ${percentile(first, 95).toFixed(0)} ms`,
    );
    console.log(
      `  create->completed, identical re-upload:  p50 ${percentile(again, 50).toFixed(0)} ms, p95 ${percentile(again, 95).toFixed(0)} ms`,
    );
  }
  console.log(
    `  storage, one object per job:       uploads ${kb(off.uploadBytes)}, results ${kb(off.resultBytes)}`,
  );
  console.log(
    `  storage, content-addressed + reuse: uploads ${kb(on.uploadBytes)}, results ${kb(on.resultBytes)}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
