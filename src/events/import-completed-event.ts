/**
 * import.completed (issue 15): written into the outbox by the import's own transaction, after its
 * last batch of records, so the event exists exactly when the records committed — an import that
 * fails or rolls back (a bad row with skip_errors=false, an error, a lost lease) writes none.
 * Only with a table store in our database (the built-in one): a host application's gateway
 * commits elsewhere, where no transaction of ours can join it, and gets no event.
 */
import type { TableWriter } from '../tables/table-gateway';
import type { ImportSummary } from './event-types';

/** Which import: its run (202 imports; null when answered at once) and what was imported. */
export interface ImportOrigin {
  ownerId: string;
  importId: string | null;
  jobId?: string;
  bulkJobId?: string;
}

export type ImportCounts = Pick<
  ImportSummary,
  'table_id' | 'records_imported' | 'records_failed' | 'records_skipped'
>;

/**
 * The hook an import calls inside its unit of work once every record is written
 * (ImportOptions.onCommit): writes the import.completed event in the same transaction.
 */
export function importCompleted(
  origin: ImportOrigin,
): (writer: TableWriter, counts: ImportCounts) => Promise<void> {
  return async (writer, counts) => {
    if (!writer.transaction) return;
    const summary: ImportSummary = {
      import_id: origin.importId,
      job_id: origin.jobId ?? null,
      bulk_job_id: origin.bulkJobId ?? null,
      ...counts,
    };
    await writer.transaction.query(
      `INSERT INTO extraction_events (type, owner_id, job_id, occurred_at, data)
       VALUES ('import.completed', $1, $2, $3, jsonb_build_object('import', $4::jsonb))`,
      [origin.ownerId, origin.jobId ?? origin.bulkJobId, new Date(), JSON.stringify(summary)],
    );
  };
}
