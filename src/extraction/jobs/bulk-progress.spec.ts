import { bulkProgress, completedCount, finalBulkStatus, pendingCount } from './bulk-progress';

describe('bulk arithmetic', () => {
  const c = { total: 3, processed: 2, failed: 1, cancelled: 0 };

  it('reports settled children as a percentage with two decimals', () => {
    expect(bulkProgress(c)).toBe(66.67);
    expect(bulkProgress({ total: 200, processed: 1 })).toBe(0.5);
    expect(bulkProgress({ total: 0, processed: 0 })).toBe(100);
  });

  it('keeps completed + failed + pending = total', () => {
    expect(completedCount(c) + c.failed + pendingCount(c)).toBe(c.total);
    expect([completedCount(c), pendingCount(c)]).toEqual([1, 1]);
  });

  it('completes a bulk with at least one completed child, else fails it', () => {
    expect(finalBulkStatus({ total: 2, processed: 2, failed: 1, cancelled: 0 })).toBe('completed');
    expect(finalBulkStatus({ total: 2, processed: 2, failed: 2, cancelled: 0 })).toBe('failed');
    expect(finalBulkStatus({ total: 2, processed: 2, failed: 1, cancelled: 1 })).toBe('failed');
  });
});
