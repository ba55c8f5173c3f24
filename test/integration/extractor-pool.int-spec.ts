import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ExtractorPool } from '../../src/extraction/processing/extractor-pool/extractor-pool';
import { ExtractionError } from '../../src/extraction/extractors/extraction-error';
import { DEFAULT_RECYCLE_MB, planWorkerMemory } from '../../src/config/worker-memory';

const dir = mkdtempSync(join(tmpdir(), 'pool-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const overridesModule = join(__dirname, '..', 'support', 'test-extractors.js');
/** A budget no test process reaches: only the memory tests below mean to hit one. */
const NO_BUDGET = { memoryBudgetMb: 1_000_000, recycleMb: DEFAULT_RECYCLE_MB };

describe(ExtractorPool.name, () => {
  let pool: ExtractorPool;

  beforeAll(() => {
    // A generous default: a fresh thread loads its code first (through ts-node when the tests run
    // from the sources), and only the timeout tests below mean to hit a timeout.
    pool = new ExtractorPool({
      threads: 2,
      memoryMb: 64,
      timeoutMs: 30_000,
      overridesModule,
      ...NO_BUDGET,
    });
  });
  afterAll(async () => {
    await pool.destroy();
  });

  const run = (content: string, extra: Partial<Parameters<ExtractorPool['run']>[0]> = {}) =>
    pool.run({
      format: 'dxf',
      filePath: file(`${Math.random()}.dxf`, content),
      filename: 'a.dxf',
      options: {},
      ...extra,
    });

  it('runs the extractor on another thread and reports progress', async () => {
    const updates: number[] = [];
    const result = await run('sleep:200', { onProgress: (u) => updates.push(u.progress) });
    expect(result).toMatchObject({
      success: true,
      source_file: 'a.dxf',
      metadata: { command: 'sleep:200', pid: process.pid },
    });
    expect(updates).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('queues files beyond its threads and routes each file its own progress', async () => {
    const updates = new Map<number, number[]>();
    const files = Array.from({ length: 12 }, (_, i) => i);
    const results = await Promise.all(
      files.map((i) =>
        run(`sleep:${20 + i}`, {
          filename: `f${i}.dxf`,
          onProgress: (u) => updates.set(i, [...(updates.get(i) ?? []), u.progress]),
        }),
      ),
    );
    expect(results.map((r) => r.source_file)).toEqual(files.map((i) => `f${i}.dxf`));
    for (const i of files)
      expect(updates.get(i)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  it('passes extractor errors through with their code and permanence', async () => {
    await expect(run('fail:permanent')).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
      permanent: true,
    });
    await expect(run('fail:retryable')).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      permanent: false,
    });
  });

  it('stops a hanging extractor at the timeout while the event loop stays responsive', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = Date.now();
    await expect(run('hang', { timeoutMs: 1000 })).rejects.toMatchObject({
      code: 'TIMEOUT',
      permanent: false,
    });
    delay.disable();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(delay.max / 1e6).toBeLessThan(200);
    await expect(run('ok')).resolves.toMatchObject({ success: true });
  });

  it('stops an extractor that watches its signal without losing the thread', async () => {
    const single = new ExtractorPool({
      threads: 1,
      memoryMb: 64,
      timeoutMs: 30_000,
      overridesModule,
      ...NO_BUDGET,
    });
    try {
      const runOn = (content: string, timeoutMs?: number) =>
        single.run({
          format: 'dxf',
          filePath: file(`${Math.random()}.dxf`, content),
          filename: 'a.dxf',
          options: {},
          timeoutMs,
        });
      const before = await runOn('ok');
      await expect(runOn('wait', 300)).rejects.toMatchObject({ code: 'TIMEOUT' });
      const after = await runOn('ok');
      // The same thread served all three: the signal stopped the task, nothing was terminated.
      expect(after.metadata.threadId).toBe(before.metadata.threadId);
      await expect(runOn('hang', 300)).rejects.toMatchObject({ code: 'TIMEOUT' });
      const replaced = await runOn('ok');
      expect(replaced.metadata.threadId).not.toBe(before.metadata.threadId);
    } finally {
      await single.destroy();
    }
  });

  it('aborts on request', async () => {
    const controller = new AbortController();
    const running = run('sleep:5000', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('fails only the file whose thread crashed or ran out of memory, and keeps serving', async () => {
    const [crash, oom, ok] = await Promise.allSettled([
      run('crash'),
      run('oom', { timeoutMs: 20_000 }),
      run('sleep:100'),
    ]);
    expect(crash).toMatchObject({
      status: 'rejected',
      reason: { code: 'EXTRACTOR_CRASHED', permanent: false },
    });
    expect(oom).toMatchObject({
      status: 'rejected',
      reason: { code: 'EXTRACTOR_OUT_OF_MEMORY', permanent: true },
    });
    expect(ok).toMatchObject({ status: 'fulfilled' });
    await expect(run('ok')).resolves.toMatchObject({ success: true });
    expect((crash as PromiseRejectedResult).reason).toBeInstanceOf(ExtractionError);
  });
});

describe(`${ExtractorPool.name} memory`, () => {
  const MB = 1024 * 1024;
  const rssMb = () => process.memoryUsage.rss() / MB;
  let pool: ExtractorPool | undefined;
  let recycled: string[];
  afterEach(async () => {
    await pool?.destroy();
    pool = undefined;
  });

  const start = (options: Partial<ConstructorParameters<typeof ExtractorPool>[0]>) => {
    recycled = [];
    pool = new ExtractorPool({
      threads: 1,
      memoryMb: 512,
      timeoutMs: 30_000,
      overridesModule,
      ...NO_BUDGET,
      onThreadRecycled: (reason) => recycled.push(reason),
      ...options,
    });
    return pool;
  };
  type Meta = { threadId: number; heldMb: number; startedAt: number; endedAt: number };
  const runOn = async (target: ExtractorPool, content: string) =>
    (
      await target.run({
        format: 'dxf',
        filePath: file(`${Math.random()}.dxf`, content),
        filename: 'm.dxf',
        options: {},
      })
    ).metadata as unknown as Meta;
  /** Polls until the check holds (memory goes back when a terminated thread's isolate is freed). */
  const eventually = async (check: () => boolean, ms = 10_000) => {
    const until = Date.now() + ms;
    while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    return check();
  };

  it('recycles a thread a spike left holding memory: the next file gets a fresh thread and the memory goes back', async () => {
    const single = start({ threads: 1, recycleMb: 200 });
    const warm = await runOn(single, 'ok');
    const before = rssMb();
    const spike = await runOn(single, 'spike:300');
    expect(spike.threadId).toBe(warm.threadId);
    expect(spike.heldMb).toBeGreaterThan(250);
    const next = await runOn(single, 'ok');
    expect(next.threadId).not.toBe(warm.threadId);
    expect(recycled).toEqual(['spike']);
    // Without the recycling the spike's ~300 MB stay until the idle thread is reclaimed (60 s).
    expect(await eventually(() => rssMb() < before + 150)).toBe(true);
  });

  it('keeps warm threads warm: ordinary files do not recycle their thread', async () => {
    const plan = planWorkerMemory({ threads: 1, memoryMb: 512, machineMb: 64 * 1024 });
    const single = start({ threads: 1, recycleMb: plan.recycleMb });
    const first = await runOn(single, 'ok');
    for (const content of ['sleep:50', 'big:100000', 'spike:20', 'hold:1', 'ok'])
      expect((await runOn(single, content)).threadId).toBe(first.threadId);
    await expect(runOn(single, 'fail:permanent')).rejects.toMatchObject({ code: 'CORRUPT_FILE' });
    expect((await runOn(single, 'ok')).threadId).toBe(first.threadId);
    expect(recycled).toEqual([]);
  });

  it('fits its threads into the budget: six spiking files at once run two at a time', async () => {
    // Room for two threads of 256 MB heap (each counted with 256 MB beside its heap).
    const plan = planWorkerMemory({
      threads: 6,
      memoryMb: 256,
      budgetMb: 256 + 2 * (256 + 256),
      machineMb: 64 * 1024,
    });
    expect(plan).toMatchObject({ threads: 2, memoryMb: 256 });
    const baseline = rssMb();
    const budgeted = start({
      threads: plan.threads,
      memoryMb: plan.memoryMb,
      // The budget counts from this test process's own memory (Jest's, not a worker's).
      memoryBudgetMb: Math.round(baseline) + plan.budgetMb,
      recycleMb: plan.recycleMb,
    });
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 20);
    try {
      const runs = await Promise.all(
        Array.from({ length: 6 }, () => runOn(budgeted, 'spike:150:300')),
      );
      expect(runs).toHaveLength(6);
      expect(new Set(runs.map((r) => r.threadId)).size).toBeLessThanOrEqual(2);
      const overlapping = (t: number) => runs.filter((r) => r.startedAt <= t && t < r.endedAt);
      expect(Math.max(...runs.map((r) => overlapping(r.startedAt).length))).toBe(2);
      // Six at once would be ~6 × 230 MB; two threads stay within the budget's thread share.
      expect(peak - baseline).toBeLessThan(plan.budgetMb - 256);
    } finally {
      clearInterval(sampler);
    }
  });

  it('starts no file while the process is over its budget, and recycles idle threads to get under it', async () => {
    const baseline = rssMb();
    // Memory outside the heap (a buffer here, WASM memory in real extractors) is not bounded by
    // the heap limit: the budget gate is what holds it. No spike recycling in this test.
    const budgeted = start({
      threads: 2,
      memoryMb: 256,
      memoryBudgetMb: Math.round(baseline) + 250,
      recycleMb: 100_000,
    });
    const first = await runOn(budgeted, 'hold:400');
    expect(rssMb()).toBeGreaterThan(baseline + 250);
    const finished: string[] = [];
    // Over budget and nothing running: the idle thread holding 400 MB goes, then the file starts.
    const long = runOn(budgeted, 'hold:400:1500').then((r) => (finished.push('long'), r));
    // The first thread's memory goes back; once `long` holds its buffer (its fresh thread loads
    // first) the process is over budget again while it runs: the next file waits for it although
    // a thread slot is free.
    await eventually(() => rssMb() < baseline + 250);
    expect(await eventually(() => rssMb() > baseline + 300)).toBe(true);
    const short = runOn(budgeted, 'ok').then((r) => (finished.push('short'), r));
    const [longRun, shortRun] = await Promise.all([long, short]);
    expect(finished).toEqual(['long', 'short']);
    expect(longRun.threadId).not.toBe(first.threadId);
    expect([first.threadId, longRun.threadId]).not.toContain(shortRun.threadId);
    expect(recycled).toEqual(['over_budget', 'over_budget']);
    expect(await eventually(() => rssMb() < baseline + 250)).toBe(true);
  });
});
