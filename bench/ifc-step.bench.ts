/**
 * IFC and STEP extractor benchmark: throughput (MB/s) and peak memory (RSS) over the shared
 * corpus, a large generated IFC (BENCH_IFC_ELEMENTS elements, ~1.1 KB each; 19000 ≈ 21 MB) and the
 * largest STEP assembly of the corpus.
 *
 *   npx ts-node --transpile-only bench/ifc-step.bench.ts
 *
 * There is no reference library here (the original used IfcOpenShell / pythonocc, not installable),
 * so the in-run baselines are (a) reading the file and scanning its lines (counting "#" records)
 * and, for IFC, (b) a raw web-ifc OpenModel + CloseModel. Ratios say how many times slower the full
 * extraction is than each baseline. Each case runs in its own child process so peak RSS belongs to
 * that case only; the WASM module is initialised (warm-up file) before timing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CORPUS = resolve(__dirname, '..', '..', 'shared', 'fixtures');
const ROUNDS_SMALL = 5;

interface CaseResult {
  name: string;
  files: number;
  mb: number;
  scanMs: number;
  rawOpenMs: number | null;
  extractMs: number;
  peakRssMb: number;
  summary: string;
}

// ---- child side --------------------------------------------------------------------------------

function scanLines(file: string): number {
  const text = readFileSync(file, 'latin1');
  let records = 0;
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    if (line.charCodeAt(0) === 35) records += 1; // '#'
    if (end < 0) break;
    start = end + 1;
  }
  return records;
}

async function runChild(
  kind: 'ifc' | 'step',
  name: string,
  files: string[],
  rounds: number,
): Promise<void> {
  const signal = new AbortController().signal;
  const extractor =
    kind === 'ifc'
      ? (await import('../src/extraction/extractors/ifc/ifc.extractor')).ifcExtractor
      : (await import('../src/extraction/extractors/step/step.extractor')).stepExtractor;
  const run = (f: string) =>
    extractor.extract({
      filePath: f,
      filename: f,
      options: {},
      onProgress: () => undefined,
      signal,
    });
  // warm-up: WASM instantiation and JIT on the smallest file, not timed
  const smallest = [...files].sort((a, b) => statSync(a).size - statSync(b).size)[0];
  await run(smallest);

  let t = performance.now();
  let records = 0;
  for (let r = 0; r < rounds; r += 1) for (const f of files) records += scanLines(f);
  const scanMs = (performance.now() - t) / rounds;

  let rawOpenMs: number | null = null;
  if (kind === 'ifc') {
    const { getIfcApi } = await import('../src/extraction/extractors/ifc/web-ifc-runtime');
    const api = await getIfcApi();
    t = performance.now();
    for (let r = 0; r < rounds; r += 1) {
      for (const f of files) {
        const id = api.OpenModel(new Uint8Array(readFileSync(f)));
        api.CloseModel(id);
      }
    }
    rawOpenMs = (performance.now() - t) / rounds;
  }

  let summary = '';
  t = performance.now();
  for (let r = 0; r < rounds; r += 1) {
    let elements = 0;
    let parts = 0;
    for (const f of files) {
      const result = (await run(f)) as {
        elements?: unknown[];
        assembly?: { total_parts: number } | null;
      };
      elements += result.elements?.length ?? 0;
      parts += result.assembly?.total_parts ?? 0;
    }
    summary = kind === 'ifc' ? `${elements} elements` : `${parts} parts`;
  }
  const extractMs = (performance.now() - t) / rounds;
  const mb = files.reduce((s, f) => s + statSync(f).size, 0) / 1048576;
  const out: CaseResult = {
    name,
    files: files.length,
    mb,
    scanMs,
    rawOpenMs,
    extractMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    summary: `${summary}; ${records / rounds} '#' records`,
  };
  process.stdout.write(`\n@@RESULT@@${JSON.stringify(out)}\n`);
}

// ---- parent side -------------------------------------------------------------------------------

function spawnCase(
  kind: 'ifc' | 'step',
  name: string,
  files: string[],
  rounds: number,
): CaseResult | null {
  const child = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=4096',
      '-r',
      'ts-node/register/transpile-only',
      __filename,
      '--child',
      kind,
      name,
      String(rounds),
      ...files,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1048576, cwd: resolve(__dirname, '..') },
  );
  const marker = child.stdout?.split('@@RESULT@@')[1];
  if (child.status !== 0 || !marker) {
    console.log(`  ${name}: failed (exit ${child.status}) ${child.stderr?.slice(-2000) ?? ''}`);
    return null;
  }
  return JSON.parse(marker.trim()) as CaseResult;
}

function listFiles(sub: string, pattern: RegExp): string[] {
  const dir = join(CORPUS, sub);
  if (!existsSync(dir)) {
    console.log(`corpus ${dir} absent: skipping its cases`);
    return [];
  }
  return readdirSync(dir)
    .filter((f) => pattern.test(f))
    .map((f) => join(dir, f));
}

function print(results: CaseResult[]): void {
  const pad = (v: string, n: number) => v.padStart(n);
  console.log(
    `\n${'case'.padEnd(26)}${pad('files', 6)}${pad('MB', 9)}${pad('scan ms', 10)}${pad('open ms', 10)}${pad('extract ms', 12)}${pad('MB/s', 9)}${pad('x scan', 9)}${pad('x open', 9)}${pad('peak RSS MB', 13)}`,
  );
  for (const r of results) {
    const mbps = r.mb / (r.extractMs / 1000);
    console.log(
      `${r.name.padEnd(26)}${pad(String(r.files), 6)}${pad(r.mb.toFixed(3), 9)}${pad(r.scanMs.toFixed(1), 10)}${pad(r.rawOpenMs === null ? '-' : r.rawOpenMs.toFixed(1), 10)}${pad(r.extractMs.toFixed(1), 12)}${pad(mbps.toFixed(2), 9)}${pad((r.extractMs / r.scanMs).toFixed(1), 9)}${pad(r.rawOpenMs === null ? '-' : (r.extractMs / r.rawOpenMs).toFixed(2), 9)}${pad(r.peakRssMb.toFixed(0), 13)}   ${r.summary}`,
    );
  }
  console.log(
    '\nx scan = extraction time / (read file + scan lines); x open = extraction time / raw web-ifc OpenModel+CloseModel.',
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await runChild(args[1] as 'ifc' | 'step', args[2], args.slice(4), Number(args[3]));
    return;
  }
  const results: CaseResult[] = [];
  const add = (r: CaseResult | null) => r && results.push(r);

  const ifcFiles = listFiles('ifc', /\.ifc$/i);
  if (ifcFiles.length) add(spawnCase('ifc', 'ifc corpus (31 files)', ifcFiles, ROUNDS_SMALL));

  const elements = Number(process.env.BENCH_IFC_ELEMENTS ?? 19000);
  const { writeLargeIfc } = await import('../test/fixtures/ifc/large-ifc');
  const large = writeLargeIfc(join(tmpdir(), `bench-large-${process.pid}.ifc`), elements);
  console.log(
    `generated ${large.path}: ${(large.bytes / 1048576).toFixed(1)} MB, ${large.elements} elements with psets and quantities`,
  );
  try {
    add(spawnCase('ifc', `ifc generated ${elements}`, [large.path], 1));
  } finally {
    unlinkSync(large.path);
  }

  const stepFiles = listFiles('step', /\.(stp|step)$/i);
  if (stepFiles.length) {
    add(spawnCase('step', 'step corpus (6 files)', stepFiles, ROUNDS_SMALL));
    const largest = [...stepFiles].sort((a, b) => statSync(b).size - statSync(a).size)[0];
    add(spawnCase('step', `step largest (${largest.split('/').pop()})`, [largest], ROUNDS_SMALL));
  } else {
    const { writeBoxStep } = await import('../test/fixtures/step/step-fixtures');
    const box = writeBoxStep(tmpdir(), undefined, `bench-box-${process.pid}.step`);
    try {
      add(spawnCase('step', 'step generated box', [box], ROUNDS_SMALL));
    } finally {
      unlinkSync(box);
    }
  }
  print(results);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
