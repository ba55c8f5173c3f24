/**
 * DXF extractor benchmark: throughput (MB/s) and peak memory (RSS, and as a multiple of the file
 * size) over the shared corpus and a large generated drawing, side by side with ezdxf (Debian
 * python3-ezdxf, run with /usr/bin/python3) doing load + the same queries (layers, blocks with
 * inserts and attributes, dimension measurements, plain text). Each side runs in its own child
 * process so peak RSS belongs to one parser only.
 *
 *   npx ts-node --transpile-only bench/dxf.bench.ts          (DXF_BENCH_MB=60 by default)
 *
 * Targets: ours ≥ 3× faster than ezdxf; peak RSS ≤ 5× the file size.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const PY = '/usr/bin/python3';
const CORPUS = resolve(__dirname, '..', '..', 'shared', 'fixtures', 'dxf');

interface Run {
  ms: number;
  /** Second pass over the same files (JIT warm, page cache warm). */
  warmMs: number;
  peakRssMb: number;
  baseRssMb: number;
  summary: string;
}

// ---- child: our extractor (plain node on a transpiled copy, so ts-node is not in the figures) ----

const CHILD_JS = String.raw`
const { dxfExtractor } = require('./src/extraction/extractors/dxf/dxf.extractor.js');
async function pass(files) {
  let layers = 0, blocks = 0, dims = 0, texts = 0;
  const t0 = performance.now();
  for (const f of files) {
    const r = await dxfExtractor.extract({
      filePath: f, filename: f, options: {}, onProgress: () => {}, signal: new AbortController().signal,
    });
    layers += r.layers.length; blocks += r.blocks.length; dims += r.dimensions.length; texts += r.text_blocks.length;
  }
  return { ms: performance.now() - t0, summary: 'layers ' + layers + ' blocks ' + blocks + ' dims ' + dims + ' texts ' + texts };
}
(async () => {
  const files = process.argv.slice(2);
  const baseRssMb = process.memoryUsage().rss / 1048576;
  const cold = await pass(files);
  const warm = await pass(files);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms: cold.ms, warmMs: warm.ms, peakRssMb, baseRssMb, summary: cold.summary }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** Transpiles the extractor (and the contract files it imports) to CommonJS in a temp folder. */
function transpileExtractor(): string {
  const ts = require('typescript') as typeof import('typescript');
  const root = resolve(__dirname, '..');
  const out = mkdtempSync(join(tmpdir(), 'dxf-bench-js-'));
  const srcDir = join(root, 'src', 'extraction', 'extractors');
  const files = [
    ...['cad-result.ts', 'extraction-error.ts', 'extractor.ts', 'title-block-fallback.ts'].map(
      (f) => join(srcDir, f),
    ),
    ...readdirSync(join(srcDir, 'dxf'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .map((f) => join(srcDir, 'dxf', f)),
  ];
  for (const file of files) {
    const js = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    }).outputText;
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
  }
  writeFileSync(join(out, 'child.js'), CHILD_JS);
  return out;
}

// ---- child: ezdxf ------------------------------------------------------------------------------

const EZDXF_SCRIPT = String.raw`
import sys, time, json, resource
import ezdxf
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def run(paths):
  layers = blocks = dims = texts = 0
  for path in paths:
      doc = ezdxf.readfile(path)
      msp = doc.modelspace()
      out_layers = [(l.dxf.name, l.dxf.color, l.dxf.linetype, l.is_frozen(), l.is_locked(), l.is_on()) for l in doc.layers]
      layers += len(out_layers)
      insert_counts = {}
      attribs = {}
      for ins in msp.query('INSERT'):
          insert_counts[ins.dxf.name] = insert_counts.get(ins.dxf.name, 0) + 1
          if ins.dxf.name not in attribs:
              attribs[ins.dxf.name] = [(a.dxf.tag, a.dxf.text) for a in ins.attribs]
      for b in doc.blocks:
          if b.name.startswith('*'):
              continue
          _ = (b.name, len(b), tuple(b.block.dxf.base_point), insert_counts.get(b.name, 0), attribs.get(b.name))
          blocks += 1
      for d in msp.query('DIMENSION'):
          try:
              d.get_measurement()
          except Exception:
              pass
          dims += 1
      for t in msp.query('TEXT MTEXT'):
          t.plain_text()
          texts += 1
  return f"layers {layers} blocks {blocks} dims {dims} texts {texts}"

t0 = time.perf_counter()
summary = run(sys.argv[1:])
ms = (time.perf_counter() - t0) * 1000
t1 = time.perf_counter()
run(sys.argv[1:]) if len(sys.argv) > 2 else None
warm = (time.perf_counter() - t1) * 1000 if len(sys.argv) > 2 else ms
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"ms": ms, "warmMs": warm, "peakRssMb": peak, "baseRssMb": base, "summary": summary}))
`;

function ezdxfAvailable(): boolean {
  if (!existsSync(PY)) return false;
  const r = spawnSync(PY, ['-c', 'import ezdxf'], { stdio: 'ignore' });
  return r.status === 0;
}

// ---- generated large drawing -------------------------------------------------------------------

function generateLarge(path: string, targetMb: number): number {
  const fd = openSync(path, 'w');
  const w = (s: string) => writeSync(fd, s);
  const g = (c: number, v: string | number) => `${String(c).padStart(3)}\n${v}\n`;
  w(g(0, 'SECTION') + g(2, 'HEADER') + g(9, '$ACADVER') + g(1, 'AC1024'));
  w(g(9, '$DWGCODEPAGE') + g(3, 'ANSI_1252') + g(9, '$INSUNITS') + g(70, 4) + g(0, 'ENDSEC'));
  w(g(0, 'SECTION') + g(2, 'TABLES') + g(0, 'TABLE') + g(2, 'LAYER') + g(70, 20));
  for (let i = 0; i < 20; i++) {
    w(
      g(0, 'LAYER') +
        g(2, i ? `LAYER_${i}` : '0') +
        g(70, i % 5 === 4 ? 1 : 0) +
        g(62, (i % 7) + 1) +
        g(6, 'Continuous'),
    );
  }
  w(g(0, 'ENDTAB') + g(0, 'ENDSEC') + g(0, 'SECTION') + g(2, 'BLOCKS'));
  for (const name of ['*Model_Space', '*Paper_Space', 'PART', 'BOLT']) {
    w(
      g(0, 'BLOCK') +
        g(8, '0') +
        g(2, name) +
        g(70, 0) +
        g(10, 0) +
        g(20, 0) +
        g(30, 0) +
        g(3, name),
    );
    if (name === 'PART') w(g(0, 'CIRCLE') + g(8, '0') + g(10, 0) + g(20, 0) + g(30, 0) + g(40, 2));
    if (name === 'BOLT')
      w(g(0, 'LINE') + g(8, '0') + g(10, 0) + g(20, 0) + g(30, 0) + g(11, 1) + g(21, 1) + g(31, 0));
    w(g(0, 'ENDBLK') + g(8, '0'));
  }
  w(g(0, 'ENDSEC') + g(0, 'SECTION') + g(2, 'ENTITIES'));
  const target = targetMb * 1048576;
  let written = 0;
  let i = 0;
  let handle = 0x100;
  const h = () => g(5, (handle++).toString(16).toUpperCase());
  while (written < target) {
    let s = '';
    for (let k = 0; k < 500; k++, i++) {
      const x = (i % 1000) * 1.5;
      const y = Math.floor(i / 1000) * 1.5;
      const layer = `LAYER_${(i % 19) + 1}`;
      const ent = g(100, 'AcDbEntity') + g(8, layer);
      switch (i % 10) {
        case 0:
        case 1:
        case 2:
        case 3:
          s +=
            g(0, 'LINE') +
            h() +
            ent +
            g(100, 'AcDbLine') +
            g(10, x) +
            g(20, y) +
            g(30, 0) +
            g(11, x + 1.25) +
            g(21, y + 0.75) +
            g(31, 0);
          break;
        case 4:
          s +=
            g(0, 'CIRCLE') +
            h() +
            ent +
            g(100, 'AcDbCircle') +
            g(10, x) +
            g(20, y) +
            g(30, 0) +
            g(40, 0.5);
          break;
        case 5:
          s +=
            g(0, 'ARC') +
            h() +
            ent +
            g(100, 'AcDbCircle') +
            g(10, x) +
            g(20, y) +
            g(30, 0) +
            g(40, 0.5) +
            g(100, 'AcDbArc') +
            g(50, 0) +
            g(51, 90);
          break;
        case 6:
          s += g(0, 'LWPOLYLINE') + h() + ent + g(100, 'AcDbPolyline') + g(90, 4) + g(70, 1);
          for (const [dx, dy] of [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ])
            s += g(10, x + dx) + g(20, y + dy);
          break;
        case 7:
          s +=
            i % 20 === 7
              ? g(0, 'TEXT') +
                h() +
                ent +
                g(100, 'AcDbText') +
                g(10, x) +
                g(20, y) +
                g(30, 0) +
                g(40, 0.25) +
                g(1, `Note %%c${i % 50} item ${i}`) +
                g(100, 'AcDbText')
              : g(0, 'MTEXT') +
                h() +
                ent +
                g(100, 'AcDbMText') +
                g(10, x) +
                g(20, y) +
                g(30, 0) +
                g(40, 0.25) +
                g(41, 10) +
                g(1, `{\\fArial;Part ${i}}\\PQty\\~${i % 9}`);
          break;
        case 8:
          s +=
            g(0, 'DIMENSION') +
            h() +
            ent +
            g(100, 'AcDbDimension') +
            g(2, '*D1') +
            g(10, x) +
            g(20, y - 1) +
            g(30, 0) +
            g(70, 32) +
            g(1, '<>±0.1') +
            g(3, 'Standard') +
            g(100, 'AcDbAlignedDimension') +
            g(13, x) +
            g(23, y) +
            g(33, 0) +
            g(14, x + 1.5) +
            g(24, y) +
            g(34, 0) +
            g(50, 0) +
            g(100, 'AcDbRotatedDimension');
          break;
        default:
          if (i % 40 === 9) {
            s +=
              g(0, 'INSERT') +
              h() +
              ent +
              g(100, 'AcDbBlockReference') +
              g(66, 1) +
              g(2, 'PART') +
              g(10, x) +
              g(20, y) +
              g(30, 0);
            for (const [tag, v] of [
              ['PART_NUMBER', `P-${i}`],
              ['QTY', String((i % 7) + 1)],
            ]) {
              s +=
                g(0, 'ATTRIB') +
                h() +
                ent +
                g(100, 'AcDbText') +
                g(10, x) +
                g(20, y) +
                g(30, 0) +
                g(40, 0.2) +
                g(1, v) +
                g(100, 'AcDbAttribute') +
                g(2, tag) +
                g(70, 0);
            }
            s += g(0, 'SEQEND') + h() + g(100, 'AcDbEntity') + g(8, layer);
          } else {
            s +=
              g(0, 'INSERT') +
              h() +
              ent +
              g(100, 'AcDbBlockReference') +
              g(2, 'BOLT') +
              g(10, x) +
              g(20, y) +
              g(30, 0);
          }
      }
    }
    written += writeSync(fd, s);
  }
  w(g(0, 'ENDSEC') + g(0, 'EOF'));
  closeSync(fd);
  return statSync(path).size;
}

// ---- parent ------------------------------------------------------------------------------------

let jsDir: string | null = null;

function runOurs(files: string[]): Run {
  jsDir ??= transpileExtractor();
  const out = execFileSync(process.execPath, [join(jsDir, 'child.js'), ...files], {
    maxBuffer: 1 << 20,
    encoding: 'utf8',
  });
  return JSON.parse(out) as Run;
}

function runEzdxf(files: string[]): Run {
  const out = execFileSync(PY, ['-c', EZDXF_SCRIPT, ...files], {
    maxBuffer: 1 << 20,
    encoding: 'utf8',
  });
  return JSON.parse(out) as Run;
}

function report(label: string, bytes: number, files: string[], ez: boolean): void {
  const mb = bytes / 1048576;
  const ours = runOurs(files);
  const rate = (ms: number) => `${(mb / (ms / 1000)).toFixed(1).padStart(6)} MB/s`;
  const line = (name: string, r: Run) =>
    `  ${name.padEnd(6)} cold ${(r.ms / 1000).toFixed(2).padStart(6)} s ${rate(r.ms)}` +
    (files.length > 1 ? ` | warm ${(r.warmMs / 1000).toFixed(2)} s ${rate(r.warmMs)}` : '') +
    ` | peak RSS ${r.peakRssMb.toFixed(0).padStart(4)} MB = ${(r.peakRssMb / mb).toFixed(2)}× file` +
    ` (+${(r.peakRssMb - r.baseRssMb).toFixed(0)} MB over process start)  [${r.summary}]`;
  console.log(`\n${label}: ${files.length} file(s), ${mb.toFixed(1)} MB`);
  console.log(line('ours', ours));
  const mult = ours.peakRssMb / mb;
  console.log(
    `  memory: ours peaks at ${mult.toFixed(2)}× the file size (target ≤ 5×: ${mult <= 5 ? 'met' : 'NOT met'})`,
  );
  if (!ez) return;
  const ezr = runEzdxf(files);
  console.log(line('ezdxf', ezr));
  const cold = ezr.ms / ours.ms;
  const warm = ezr.warmMs / ours.warmMs;
  console.log(
    `  speed: ours is ${cold.toFixed(1)}× faster than ezdxf cold` +
      (files.length > 1 ? `, ${warm.toFixed(1)}× warm` : '') +
      ` (target ≥ 3×: ${cold >= 3 ? 'met' : 'NOT met'})`,
  );
}

function main(): void {
  const ez = ezdxfAvailable() && process.env.DXF_BENCH_SKIP_EZDXF !== '1';
  if (process.env.DXF_BENCH_SKIP_EZDXF === '1')
    console.log('ezdxf side skipped: DXF_BENCH_SKIP_EZDXF=1');
  else if (!ez) {
    console.log(`ezdxf side skipped: ${PY} cannot import ezdxf (apt-get install -y python3-ezdxf)`);
  }
  if (existsSync(CORPUS)) {
    const files = readdirSync(CORPUS)
      .filter((f) => f.endsWith('.dxf'))
      .sort()
      .map((f) => join(CORPUS, f));
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    report('corpus (shared/fixtures/dxf)', bytes, files, ez);
  } else {
    console.log(`corpus skipped: ${CORPUS} is absent`);
  }
  const targetMb = Number(process.env.DXF_BENCH_MB ?? 60);
  const big = join(tmpdir(), `dxf-bench-${process.pid}.dxf`);
  try {
    const size = generateLarge(big, targetMb);
    report(`generated drawing (${big})`, size, [big], ez);
  } finally {
    if (existsSync(big)) unlinkSync(big);
  }
}

try {
  main();
} finally {
  if (jsDir) rmSync(jsDir, { recursive: true, force: true });
}
