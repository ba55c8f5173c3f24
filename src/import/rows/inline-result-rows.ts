/**
 * Streams the rows of a job's inline (JSONB) result out of PostgreSQL: a server-side cursor over
 * the elements of the record type's list, fetched a batch at a time, so neither the result nor all
 * its rows are ever in this process at once. The next batch is fetched while the caller works on
 * the current one (the import inserts on another connection meanwhile).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readerOf } from './result-rows';
import { RowStream } from './row-stream';
import { SourceRow } from './source-row';

@Injectable()
export class InlineResultRows {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A stream when the job's result is inline and the record type's rows are one list of objects
   * (for the format's default, when that list has rows); null when the result must be read whole.
   */
  async open(jobId: string, format: string, recordType: string | null): Promise<RowStream | null> {
    const reader = readerOf(format, recordType);
    if (!reader?.list) return null;
    const { path, row } = reader.list;
    const [found] = await this.dataSource.query<{ inline: boolean; n: number | null }[]>(
      `SELECT result IS NOT NULL AS inline,
              CASE WHEN jsonb_typeof(result #> $2::text[]) = 'array'
                   THEN jsonb_array_length(result #> $2::text[]) ELSE 0 END AS n
       FROM extraction_jobs WHERE id = $1`,
      [jobId, path],
    );
    if (!found?.inline) return null;
    // The default is the first record type with rows: only this one is known to have them.
    if (recordType === null && !found.n) return null;
    const dataSource = this.dataSource;
    return {
      record_type: reader.name,
      maxRows: found.n ?? 0,
      async *batches(size) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        let pending: Promise<{ e: Record<string, unknown> }[]> | null = null;
        let committed = false;
        try {
          await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          await runner.query(
            `DECLARE result_rows NO SCROLL CURSOR FOR
             SELECT e FROM extraction_jobs j, jsonb_array_elements(
               CASE WHEN jsonb_typeof(j.result #> $2::text[]) = 'array' THEN j.result #> $2::text[]
                    ELSE '[]'::jsonb END) AS e
             WHERE j.id = $1 AND jsonb_typeof(e) = 'object'`,
            [jobId, path],
          );
          const fetch = () => runner.query(`FETCH ${Number(size)} FROM result_rows`);
          pending = fetch();
          for (;;) {
            const batch: { e: Record<string, unknown> }[] = await pending!;
            pending = null;
            if (batch.length === 0) break;
            if (batch.length === size) pending = fetch();
            yield batch.map((r): SourceRow => row(r.e));
            if (batch.length < size) break;
          }
          await runner.query('COMMIT');
          committed = true;
        } finally {
          // Stopped early (the caller broke off or failed): end the read before giving back.
          await pending?.catch(() => undefined);
          if (!committed) await runner.query('ROLLBACK').catch(() => undefined);
          await runner.release();
        }
      },
    };
  }
}
