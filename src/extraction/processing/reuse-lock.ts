/**
 * One extraction per reuse key at a time across all workers: a PostgreSQL session advisory lock
 * on the key, held while the holder extracts and completes. A duplicate claimed meanwhile does not
 * wait for it: it only tries (`pg_try_advisory_lock`) and, refused, parks (ResultReuseService).
 * A holder that dies loses its session and with it the lock.
 * The locks use their own small pool: a holder keeps its connection for the whole extraction,
 * which must never starve the job statements of the main pool.
 */
import { Pool, PoolClient } from 'pg';

export class ReuseLock {
  private readonly pool: Pool;

  constructor(databaseUrl: string, maxHolders: number) {
    this.pool = new Pool({
      connectionString: databaseUrl,
      max: maxHolders,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection that breaks must not crash the worker; the next acquire reconnects.
    this.pool.on('error', () => undefined);
  }

  /** The lock on `key` if nobody holds it now (answers its release), else null at once. */
  async tryAcquire(key: string): Promise<(() => Promise<void>) | null> {
    const client: PoolClient = await this.pool.connect();
    let held = false;
    try {
      const rows = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
        [key],
      );
      held = rows.rows[0].ok;
    } catch (error) {
      client.release(true);
      throw error;
    }
    if (!held) {
      client.release();
      return null;
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      try {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
        client.release();
      } catch {
        client.release(true); // a broken session ends its locks with it
      }
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
