/** Bulk arithmetic, shared by the SQL (same formulas) and the wire mapping. */
export interface BulkCounters {
  total: number;
  processed: number;
  failed: number;
  cancelled: number;
}

/** Percentage of settled children, two decimals; an empty bulk counts as done. */
export function bulkProgress({
  total,
  processed,
}: Pick<BulkCounters, 'total' | 'processed'>): number {
  if (total <= 0) return 100;
  return Math.round((10000 * processed) / total) / 100;
}

export function completedCount(c: BulkCounters): number {
  return c.processed - c.failed - c.cancelled;
}

export function pendingCount(c: BulkCounters): number {
  return c.total - c.processed;
}

/** The parent's status once every child has settled. */
export function finalBulkStatus(c: BulkCounters): 'completed' | 'failed' {
  return completedCount(c) > 0 ? 'completed' : 'failed';
}
