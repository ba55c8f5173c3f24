import {
  DEFAULT_RECYCLE_MB,
  MAIN_THREAD_RESERVE_MB,
  THREAD_OVERHEAD_MB,
  defaultMemoryBudgetMb,
  planWorkerMemory,
  threadCostMb,
} from './worker-memory';

describe('planWorkerMemory', () => {
  const GB = 1024;

  it('keeps every thread at its heap limit when the budget holds them', () => {
    const plan = planWorkerMemory({
      threads: 4,
      memoryMb: 1536,
      budgetMb: 8 * GB,
      machineMb: 64 * GB,
    });
    expect(plan).toEqual({
      budgetMb: 8 * GB,
      threads: 4,
      memoryMb: 1536,
      recycleMb: DEFAULT_RECYCLE_MB,
    });
    expect(MAIN_THREAD_RESERVE_MB + plan.threads * threadCostMb(plan.memoryMb)).toBeLessThanOrEqual(
      plan.budgetMb,
    );
  });

  it('runs fewer threads, not smaller heaps, when the budget is smaller', () => {
    // 256 + 2 × (1536 + 256) = 3840 ≤ 4096 < 256 + 3 × 1792
    const plan = planWorkerMemory({
      threads: 8,
      memoryMb: 1536,
      budgetMb: 4 * GB,
      machineMb: 64 * GB,
    });
    expect(plan).toMatchObject({ threads: 2, memoryMb: 1536 });
  });

  it('lowers the heap limit of a single thread only when not even one fits', () => {
    const plan = planWorkerMemory({
      threads: 4,
      memoryMb: 1536,
      budgetMb: 1024,
      machineMb: 64 * GB,
    });
    expect(plan).toMatchObject({
      threads: 1,
      memoryMb: 1024 - MAIN_THREAD_RESERVE_MB - THREAD_OVERHEAD_MB,
    });
  });

  it('defaults the budget to every thread at its limit, at most ¾ of the machine', () => {
    expect(defaultMemoryBudgetMb(2, 1536, 64 * GB)).toBe(256 + 2 * (1536 + 256));
    expect(defaultMemoryBudgetMb(16, 1536, 16 * GB)).toBe(12 * GB);
    // On the 16 GB machine the 16 configured threads become 6: 256 + 6 × 1792 ≤ 12288.
    expect(planWorkerMemory({ threads: 16, memoryMb: 1536, machineMb: 16 * GB })).toMatchObject({
      budgetMb: 12 * GB,
      threads: 6,
      memoryMb: 1536,
    });
  });

  it('takes the recycle threshold as configured', () => {
    expect(
      planWorkerMemory({ threads: 1, memoryMb: 512, recycleMb: 300, machineMb: 8 * GB }).recycleMb,
    ).toBe(300);
  });
});
