/**
 * The SQL formulas of persistence/job-sql.ts, evaluated by PostgreSQL, give what their TypeScript
 * twins in jobs/ give: one rule, two notations, checked against each other.
 */
import { RetryPolicy } from '../../src/config/app-config';
import {
  finalBulkStatusSql,
  progressSql,
  retriesLeftSql,
  retryDelaySecondsSql,
} from '../../src/extraction/persistence/job-sql';
import { retryDelaySeconds } from '../../src/extraction/jobs/backoff';
import { bulkProgress, finalBulkStatus } from '../../src/extraction/jobs/bulk-progress';
import { statusAfterFailure } from '../../src/extraction/jobs/job-state-machine';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('job SQL formulas', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(2);
  });
  afterAll(async () => {
    await db.close();
  });

  /** Evaluates `expression` (over columns a, b, c, d) for each row, in order, as text. */
  const evaluate = async (expression: string, rows: Array<Array<number | boolean>>) => {
    const values = rows.map((r, n) => `(${[n, ...r].map(String).join(', ')})`).join(', ');
    const width = rows[0].length;
    const names = ['a', 'b', 'c', 'd'].slice(0, width).join(', ');
    const result: Array<{ v: unknown }> = await db.dataSource.query(
      `SELECT (${expression})::text AS v FROM (VALUES ${values}) AS t(n, ${names}) ORDER BY n`,
    );
    return result.map((r) => r.v);
  };

  it('computes bulk progress as bulkProgress() does', async () => {
    const cases: Array<[number, number]> = [];
    for (const total of [1, 2, 3, 7, 8, 16, 32, 200, 999, 5000])
      for (const processed of [0, 1, Math.floor(total / 3), Math.floor(total / 2), total])
        cases.push([processed, total]);
    const sql = await evaluate(progressSql('a', 'b'), cases);
    expect(sql.map(Number)).toEqual(
      cases.map(([processed, total]) => bulkProgress({ processed, total })),
    );
  });

  it('settles a bulk as finalBulkStatus() does', async () => {
    const cases: Array<[number, number, number]> = [
      [2, 1, 0],
      [2, 2, 0],
      [2, 1, 1],
      [3, 0, 3],
      [5, 0, 0],
    ];
    const sql = await evaluate(finalBulkStatusSql('a', 'b', 'c'), cases);
    expect(sql).toEqual(
      cases.map(([processed, failed, cancelled]) =>
        finalBulkStatus({ total: processed, processed, failed, cancelled }),
      ),
    );
  });

  it('sends a failure to retrying exactly when statusAfterFailure() does', async () => {
    const cases: Array<[boolean, number, number]> = [
      [true, 0, 3],
      [true, 2, 3],
      [true, 3, 3],
      [false, 0, 3],
      [true, 0, 0],
    ];
    const sql = await evaluate(retriesLeftSql('a', 'b', 'c'), cases);
    expect(sql).toEqual(
      cases.map(([retryable, count, max]) =>
        statusAfterFailure(retryable, count, max) === 'retrying' ? 'true' : 'false',
      ),
    );
  });

  it('delays a retry as retryDelaySeconds() does', async () => {
    const policy: RetryPolicy = { maxRetries: 9, baseSeconds: 60, capSeconds: 600, jitter: 0.2 };
    const cases: Array<[number, number, number, number]> = [0, 1, 2, 3, 4, 8].map((count) => [
      count,
      policy.baseSeconds,
      policy.capSeconds,
      1.1,
    ]);
    const sql = await evaluate(
      retryDelaySecondsSql('a', 'b::float8', 'c::float8', 'd::float8'),
      cases,
    );
    expect(sql.map(Number)).toEqual(
      cases.map(([count]) => retryDelaySeconds(count + 1, policy, 1.1)),
    );
  });
});
