/**
 * How much of the service each owner holds: files (single jobs and bulk files) pending, retrying
 * or processing. Read for the per-owner quota at creation and for the active-files gauge.
 * Reprocess attempts are not counted: an operator sent them, and their owner's own requests must
 * not be refused for them.
 */
import { Injectable } from '@nestjs/common';
import { JobDatabase } from './job-database';
import { ACTIVE_SQL, KIND } from './job-sql';
import { NOT_REPROCESSING } from './fair-sql';

@Injectable()
export class OwnerUsageRepository {
  constructor(private readonly db: JobDatabase) {}

  /** Active files of one owner, counted up to `cap` (enough to decide a quota; stays cheap). */
  async activeFiles(ownerId: string, cap: number): Promise<number> {
    const rows = await this.db.run(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM extraction_jobs j
         WHERE j.owner_id = $1 AND j.status IN ${ACTIVE_SQL} AND j.kind <> ${KIND.bulk} AND ${NOT_REPROCESSING('j')}
         LIMIT $2) a`,
      [ownerId, cap],
    );
    return Number(rows[0].n);
  }

  /** The `top` owners with most active files, and the rest summed as `_other`. */
  async topOwners(top: number): Promise<Array<{ owner: string; files: number }>> {
    const rows = await this.db.run(
      `WITH per_owner AS (
         SELECT j.owner_id, count(*)::int AS n FROM extraction_jobs j
         WHERE j.status IN ${ACTIVE_SQL} AND j.kind <> ${KIND.bulk} AND ${NOT_REPROCESSING('j')}
         GROUP BY j.owner_id
       ), ranked AS (
         SELECT owner_id, n, row_number() OVER (ORDER BY n DESC, owner_id) AS r FROM per_owner
       )
       SELECT CASE WHEN r <= $1 THEN owner_id ELSE '_other' END AS owner, sum(n)::int AS files
       FROM ranked GROUP BY 1`,
      [top],
    );
    return rows.map((r) => ({ owner: r.owner as string, files: Number(r.files) }));
  }
}
