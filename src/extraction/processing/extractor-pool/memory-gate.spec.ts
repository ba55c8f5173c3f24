import { MemoryGate } from './memory-gate';

describe(MemoryGate.name, () => {
  const MB = 1024 * 1024;
  let rss: number;
  let overBudget: number;
  let gate: MemoryGate;
  beforeEach(() => {
    rss = 100 * MB;
    overBudget = 0;
    gate = new MemoryGate({
      slots: 2,
      budgetMb: 500,
      rss: () => rss,
      onOverBudget: () => (overBudget += 1),
    });
  });
  afterEach(() => gate.stop());

  const signal = () => new AbortController().signal;
  /** Whether the promise settled by now (after pending microtasks). */
  const settled = async (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(
      () => (done = true),
      () => (done = true),
    );
    await new Promise((r) => setImmediate(r));
    return done;
  };

  it('admits one file per slot, the next in order of arrival as slots free', async () => {
    await gate.enter(signal());
    await gate.enter(signal());
    const third = gate.enter(signal());
    const fourth = gate.enter(signal());
    expect(await settled(third)).toBe(false);
    gate.leave();
    expect(await settled(third)).toBe(true);
    expect(await settled(fourth)).toBe(false);
    gate.leave();
    expect(await settled(fourth)).toBe(true);
    expect(gate.inFlight).toBe(2);
    expect(overBudget).toBe(0);
  });

  it('holds files while over budget and a file runs, asking for idle threads to go', async () => {
    await gate.enter(signal());
    rss = 600 * MB;
    const waiting = gate.enter(signal());
    expect(await settled(waiting)).toBe(false);
    expect(overBudget).toBeGreaterThan(0);
    rss = 400 * MB; // an idle thread was recycled: the periodic look admits the file
    await expect(waiting).resolves.toBeUndefined();
    expect(gate.inFlight).toBe(2);
  });

  it('admits a file with nothing running even over budget (waiting would free nothing)', async () => {
    rss = 900 * MB;
    await expect(gate.enter(signal())).resolves.toBeUndefined();
    expect(overBudget).toBe(1);
  });

  it('fails the waiting files when the pool shuts down', async () => {
    await gate.enter(signal());
    await gate.enter(signal());
    const waiting = gate.enter(signal());
    gate.stop();
    await expect(waiting).rejects.toThrow('shutting down');
  });

  it('lets a file that gives up while waiting leave the queue', async () => {
    await gate.enter(signal());
    await gate.enter(signal());
    const controller = new AbortController();
    const waiting = gate.enter(controller.signal);
    const after = gate.enter(signal());
    controller.abort(new Error('timeout'));
    await expect(waiting).rejects.toThrow('timeout');
    gate.leave();
    expect(await settled(after)).toBe(true);
    expect(gate.inFlight).toBe(2);
  });
});
