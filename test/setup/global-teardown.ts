/** Drops every database and Redis key this run created. */
import { Client } from 'pg';
import Redis from 'ioredis';
import { ADMIN_DATABASE_URL, TEST_REDIS_URL, currentRunId, redisPrefix } from './test-env';

export default async function globalTeardown(): Promise<void> {
  // Runs once per tier that has services; the first call removes everything, the others find none.
  const runId = currentRunId();
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`extraction_test_${runId}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${redisPrefix(runId)}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis may be absent for extractor-only runs; nothing of ours is there then.
  } finally {
    redis.disconnect();
  }
}
