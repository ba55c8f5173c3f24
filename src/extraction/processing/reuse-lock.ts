/**
 * One extraction per reuse key at a time across all workers: a PostgreSQL session advisory lock
 * on the key, held while the holder extracts and completes. Duplicates claimed at the same moment
 * wait for it (polling `pg_try_advisory_lock`, every 5 ms at first and up to every 100 ms, so a
 * waiter holds no connection) and then find the holder's completed result. A holder that dies loses its session and with it the lock.
 * The locks use their own small pool: a holder keeps its connection for the whole extraction,
 * which must never starve the job statements of the main pool.
 */
import { Pool, PoolClient } from 'pg';
import { DomainError } from '../../common/domain-error';

/** Waiters poll quickly at first (small files finish in milliseconds), then every 100 ms. */
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 100;

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

  /**
   * Waits until this process holds the lock on `key`; answers the release. Stops waiting (and
   * throws) when the signal fires.
   */
  async acquire(key: string, signal: AbortSignal): Promise<() => Promise<void>> {
    for (let poll = FIRST_POLL_MS; ; poll = Math.min(poll * 2, MAX_POLL_MS)) {
      // A domain error: the processor's database retries end at once (cancelled, shut down).
      if (signal.aborted)
        throw new DomainError(
          'REUSE_WAIT_STOPPED',
          `Stopped waiting for the reuse lock: ${String(signal.reason)}`,
        );
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
      if (held) {
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
      client.release();
      await new Promise((resolve) => setTimeout(resolve, poll));
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
