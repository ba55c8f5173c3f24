/**
 * PDF extractor benchmark: pages per second, CPU time and peak memory on the generated fixtures
 * (3-page drawing, 200-page text document, scanned page), side by side with pdftotext (poppler)
 * and pdfminer.six (Python) extracting the same text in the same run.
 *
 *   npx ts-node --transpile-only bench/pdf.bench.ts [--runs 5]
 *
 * Our figures are in-process after 3 warm-up runs (a pool thread is long-lived: pdf.js loaded,
 * JIT warm), small files get 4x more runs; pdftotext is timed as a whole process (it has no warm
 * mode); pdfminer is timed inside Python around extract_text only. Our peak RSS includes the
 * ts-node process itself: the RSS before the runs is printed for comparison.
 * CPU time (user+sys) is the fairer comparison on a shared machine; wall time is printed too.
 * Targets: text extraction within 3x of pdftotext, at least 2x faster than pdfminer.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pdfExtractor } from '../src/extraction/extractors/pdf/pdf.extractor';
import {
  LONG_PAGES,
  generatePdfFixtures,
  removePdfFixtures,
} from '../test/fixtures/pdf/generate-pdf-fixtures';

interface Sample {
  wallMs: number;
  cpuMs: number;
  /** Median CPU time over the runs (best = cpuMs). */
  medianCpuMs: number;
  peakRssMb: number;
}

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const PYTHON = '/usr/bin/python3';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const best = (samples: Sample[]): Sample => ({
  wallMs: Math.min(...samples.map((s) => s.wallMs)),
  cpuMs: Math.min(...samples.map((s) => s.cpuMs)),
  medianCpuMs: median(samples.map((s) => s.cpuMs)),
  peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
});

/** Small files run more often: a long-lived worker thread has its JIT warm, like these runs. */
const runsFor = (pages: number): number => (pages > 10 ? RUNS : RUNS * 4);
const WARMUP = 3;

async function ours(
  file: string,
  options: Record<string, unknown>,
  runs = RUNS,
  warmup = WARMUP,
): Promise<Sample> {
  const samples: Sample[] = [];
  for (let k = 0; k < warmup + runs; k++) {
    let peak = process.memoryUsage.rss();
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await pdfExtractor.extract({
      filePath: file,
      filename: 'bench.pdf',
      options,
      onProgress: () => undefined,
      signal: new AbortController().signal,
    });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = process.cpuUsage(c0);
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage.rss());
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (k >= warmup) samples.push({ wallMs, cpuMs, medianCpuMs: cpuMs, peakRssMb: peak / 2 ** 20 });
  }
  return best(samples);
}

function hasTool(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
}

/** Runs a command under GNU time (or Python's rusage) for CPU time and peak RSS. */
function external(cmd: string[], runs = RUNS): Sample {
  const samples: Sample[] = [];
  for (let k = 0; k < runs; k++) {
    const probe = `
import resource, subprocess, sys, time
t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
wall = (time.perf_counter() - t) * 1000
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, (r.ru_utime + r.ru_stime) * 1000, r.ru_maxrss / 1024)`;
    const out = execFileSync(PYTHON, ['-c', probe, ...cmd], { encoding: 'utf8' })
      .trim()
      .split(' ')
      .map(Number);
    samples.push({ wallMs: out[0], cpuMs: out[1], medianCpuMs: out[1], peakRssMb: out[2] });
  }
  return best(samples);
}

/** pdfminer timed around extract_text only (interpreter and import start-up excluded). */
function pdfminer(file: string, runs: number): Sample {
  const script = `
import resource, sys, time
from pdfminer.high_level import extract_text
walls, cpus = [], []
for _ in range(int(sys.argv[2])):
    t, c = time.perf_counter(), time.process_time()
    extract_text(sys.argv[1])
    walls.append((time.perf_counter() - t) * 1000); cpus.append((time.process_time() - c) * 1000)
cpus.sort()
print(min(walls), min(cpus), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, cpus[len(cpus) // 2])`;
  const out = execFileSync(PYTHON, ['-c', script, file, String(runs)], {
    encoding: 'utf8',
    timeout: 900_000,
  })
    .trim()
    .split(' ')
    .map(Number);
  return { wallMs: out[0], cpuMs: out[1], medianCpuMs: out[3], peakRssMb: out[2] };
}

const fmt = (label: string, pages: number, s: Sample): string =>
  `${label.padEnd(34)} ${s.wallMs.toFixed(0).padStart(6)} ms wall ${s.cpuMs.toFixed(0).padStart(6)} ms cpu ` +
  `(median ${s.medianCpuMs.toFixed(0).padStart(6)}) ${((pages * 1000) / s.cpuMs).toFixed(1).padStart(7)} pages/s ` +
  `${s.peakRssMb.toFixed(0).padStart(4)} MB peak RSS`;

const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

async function main(): Promise<void> {
  const fx = await generatePdfFixtures();
  const havePdftotext = hasTool('pdftotext', ['-v']);
  const havePdfminer = existsSync(PYTHON) && hasTool(PYTHON, ['-c', 'import pdfminer.high_level']);
  if (!havePdftotext)
    console.log('pdftotext absent (apt-get install poppler-utils): baseline skipped');
  if (!havePdfminer)
    console.log('pdfminer absent (apt-get install python3-pdfminer): baseline skipped');
  const textOnly = { extract_tables: false, extract_dimensions: false, use_ocr: false };

  await ours(fx.drawing, textOnly, 1, 0); // Loads pdf.js before the baseline RSS is read.
  console.log(
    `process RSS before the runs: ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB`,
  );
  console.log(
    `PDF benchmark: best and median of ${RUNS} runs (${RUNS * 4} for small files), ours after ${WARMUP} warm-up runs\n`,
  );
  for (const [name, file, pages] of [
    ['drawing (3 pages)', fx.drawing, 3],
    [`long document (${LONG_PAGES} pages)`, fx.long, LONG_PAGES],
  ] as const) {
    console.log(`== ${name}`);
    const runs = runsFor(pages);
    const text = await ours(file, textOnly, runs);
    const full = await ours(file, {}, runs);
    console.log(fmt('ours: text only', pages, text));
    console.log(fmt('ours: full (tables, dims, title)', pages, full));
    if (havePdftotext) {
      const p = external(['pdftotext', file, '-'], runs);
      console.log(fmt('pdftotext', pages, p));
      console.log(
        `  time ours(text) / pdftotext: ${ratio(text.cpuMs, p.cpuMs)} cpu best, ` +
          `${ratio(text.medianCpuMs, p.medianCpuMs)} cpu median, ${ratio(text.wallMs, p.wallMs)} wall (target <= 3x)`,
      );
    }
    if (havePdfminer) {
      const m = pdfminer(file, pages > 10 ? 1 : runs);
      console.log(fmt('pdfminer.six', pages, m));
      console.log(
        `  speed-up ours(text) vs pdfminer: ${ratio(m.cpuMs, text.cpuMs)} cpu best, ` +
          `${ratio(m.medianCpuMs, text.medianCpuMs)} cpu median, ${ratio(m.wallMs, text.wallMs)} wall (target >= 2x)`,
      );
    }
    console.log('');
  }

  console.log('== OCR (scanned A4 page, 300 DPI render, tesseract.js eng)');
  const cold = await ours(fx.scanned, {}, 1, 0);
  console.log(fmt('ours: OCR incl. worker start', 1, cold));
  const warm = await ours(fx.scanned, {}, Math.min(RUNS, 2), 0);
  console.log(fmt('ours: OCR (best run)', 1, warm));
  console.log(
    `  OCR throughput: ${(60_000 / warm.wallMs).toFixed(1)} pages/min wall, ${(warm.wallMs / 1000).toFixed(2)} s/page`,
  );
}

main()
  .finally(() => removePdfFixtures())
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
