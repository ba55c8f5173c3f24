import { StatementBatcher } from './statement-batcher';

/** A runner that records its batches and answers when the test releases it. */
function gatedRunner(answer: (item: number) => string | Error = (item) => `r${item}`) {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => gates.push(resolve));
    const outputs = items.map(answer);
    const error = outputs.find((o): o is Error => o instanceof Error);
    if (error) throw error;
    return outputs as string[];
  };
  const releaseAll = async () => {
    for (let i = 0; i < 100 && (gates.length > 0 || i < 3); i += 1) {
      gates.splice(0).forEach((open) => open());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { run, batches, releaseAll };
}

describe(StatementBatcher.name, () => {
  it('sends a lone call at once and coalesces the calls that arrive meanwhile', async () => {
    const runner = gatedRunner();
    const batcher = new StatementBatcher(runner.run);
    const first = batcher.submit(1);
    const rest = [2, 3, 4].map((i) => batcher.submit(i));
    expect(runner.batches).toEqual([[1]]);
    await runner.releaseAll();
    await expect(first).resolves.toBe('r1');
    await expect(Promise.all(rest)).resolves.toEqual(['r2', 'r3', 'r4']);
    expect(runner.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps batches within the maximum size', async () => {
    const runner = gatedRunner();
    const batcher = new StatementBatcher(runner.run, 2);
    const all = [1, 2, 3, 4, 5].map((i) => batcher.submit(i));
    await runner.releaseAll();
    await expect(Promise.all(all)).resolves.toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(runner.batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('runs the items of a failed batch alone, so only the bad one fails', async () => {
    const runner = gatedRunner((item) => (item === 3 ? new Error('bad value') : `r${item}`));
    const batcher = new StatementBatcher(runner.run);
    const first = batcher.submit(1);
    // allSettled at once: the rejection must have a handler before it happens.
    const rest = Promise.allSettled([2, 3, 4].map((i) => batcher.submit(i)));
    await runner.releaseAll();
    await expect(first).resolves.toBe('r1');
    const settled = await rest;
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : String(s.reason)))).toEqual([
      'r2',
      'Error: bad value',
      'r4',
    ]);
    expect(runner.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('keeps working after a failure', async () => {
    const runner = gatedRunner((item) => (item === 1 ? new Error('down') : `r${item}`));
    const batcher = new StatementBatcher(runner.run);
    const failed = expect(batcher.submit(1)).rejects.toThrow('down');
    await runner.releaseAll();
    await failed;
    const next = batcher.submit(2);
    await runner.releaseAll();
    await expect(next).resolves.toBe('r2');
  });
});
