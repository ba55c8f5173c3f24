/**
 * scripts/ensure-services.sh checks the configured DATABASE_URL / REDIS_URL (issue 12 §6): it used
 * to check the default ports, say "up" for URLs pointing at dead servers, and could start
 * default-port servers that were not the configured ones.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'ensure-services.sh');
const RUNNING_DB = 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNNING_REDIS = 'redis://127.0.0.1:6379';

function ensure(env: Record<string, string>): { status: number | null; output: string } {
  const result = spawnSync('bash', [SCRIPT], {
    env: { ...process.env, SKIP_INSTALL: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('scripts/ensure-services.sh', () => {
  it('says up for the configured running servers', () => {
    const run = ensure({ DATABASE_URL: RUNNING_DB, REDIS_URL: RUNNING_REDIS });
    expect(run.output).toContain('PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) are up');
    expect(run.status).toBe(0);
  });

  it('reports a remote database or Redis that is down and starts nothing', () => {
    const db = ensure({ DATABASE_URL: 'postgres://u@db.invalid:5432/x', REDIS_URL: RUNNING_REDIS });
    expect(db.status).toBe(1);
    expect(db.output).toContain('PostgreSQL at db.invalid:5432 (DATABASE_URL) is not reachable');
    expect(db.output).not.toContain('starting');
    const redis = ensure({ DATABASE_URL: RUNNING_DB, REDIS_URL: 'redis://cache.invalid:6379' });
    expect(redis.status).toBe(1);
    expect(redis.output).toContain('Redis at cache.invalid:6379 (REDIS_URL) is not reachable');
    expect(redis.output).not.toContain('starting');
  });

  it('does not call a local database on another port up because the default one is', async () => {
    const port = await freePort();
    const run = ensure({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x` });
    expect(run.status).toBe(1);
    expect(run.output).toContain(`PostgreSQL is not reachable on 127.0.0.1:${port}`);
  });

  it('starts a local Redis on the configured port when it is down', async () => {
    const port = await freePort();
    try {
      const run = ensure({ DATABASE_URL: RUNNING_DB, REDIS_URL: `redis://127.0.0.1:${port}` });
      expect(run.output).toContain(`starting Redis on port ${port}`);
      expect(run.status).toBe(0);
      const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
      expect(ping.stdout.trim()).toBe('PONG');
    } finally {
      spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
    }
  });
});
