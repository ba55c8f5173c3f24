import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ExtractorPool } from '../../src/extraction/processing/extractor-pool/extractor-pool';
import { ExtractionError } from '../../src/extraction/extractors/extraction-error';

const dir = mkdtempSync(join(tmpdir(), 'pool-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe(ExtractorPool.name, () => {
  let pool: ExtractorPool;

  beforeAll(() => {
    const overridesModule = join(__dirname, '..', 'support', 'test-extractors.js');
    // A generous default: a fresh thread loads its code first (through ts-node when the tests run
    // from the sources), and only the timeout tests below mean to hit a timeout.
    pool = new ExtractorPool({ threads: 2, memoryMb: 64, timeoutMs: 30_000, overridesModule });
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
      overridesModule: join(__dirname, '..', 'support', 'test-extractors.js'),
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
