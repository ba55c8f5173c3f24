/**
 * Bulk arithmetic: the wire mapping uses these functions, the SQL the same formulas built in
 * persistence/job-sql.ts (checked against these in test/integration/job-sql.int-spec.ts).
 */
import { JobStatus } from '../entities/job-enums';

/** A bulk parent still waiting for children to settle. */
export const OPEN_BULK_STATUSES: readonly JobStatus[] = ['pending', 'processing'];
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
