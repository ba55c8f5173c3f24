/**
 * Server-Sent Events under abuse (issue 12 §3): streams outlived the token that opened them and
 * were unbounded per user.
 */
import type { Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import { JwtService } from '@nestjs/jwt';
import { createE2eHarness, E2E_JWT_SECRET, E2eHarness } from '../support/e2e-harness';

const API = '/api/v1/extraction';

describe('event streams', () => {
  let h: E2eHarness;
  let port: number;
  let jobId: string;
  beforeAll(async () => {
    h = await createE2eHarness('local', { SSE_MAX_STREAMS_PER_USER: '2' });
    const server = h.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    // A job that stays pending: a bulk parent without children is never processed itself.
    const rows = await h.db.dataSource.query(
      `INSERT INTO extraction_jobs (owner_id, kind, total_items) VALUES ('streamer', 'bulk', 1) RETURNING id`,
    );
    jobId = rows[0].id;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Opens a stream; resolves with its status code, and `ended` when the server ends it. */
  const openStream = (token: string) =>
    new Promise<{ status: number; ended: Promise<number>; close: () => void }>(
      (resolve, reject) => {
        const started = Date.now();
        const req = httpRequest(
          { port, host: '127.0.0.1', path: `${API}/jobs/${jobId}/events?access_token=${token}` },
          (res) => {
            res.resume();
            const ended = new Promise<number>((done) =>
              res.on('close', () => done(Date.now() - started)),
            );
            resolve({ status: res.statusCode ?? 0, ended, close: () => req.destroy() });
          },
        );
        req.on('error', reject);
        req.end();
      },
    );

  it('refuses a third stream of one user with 429 TOO_MANY_STREAMS and frees the slot on close', async () => {
    const token = h.token('streamer');
    const first = await openStream(token);
    const second = await openStream(token);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await h.http().get(`${API}/jobs/${jobId}/events?access_token=${token}`);
    expect(third.status).toBe(429);
    expect(third.body.code).toBe('TOO_MANY_STREAMS');
    first.close();
    await first.ended;
    await new Promise((r) => setTimeout(r, 100));
    const again = await openStream(token);
    expect(again.status).toBe(200);
    second.close();
    again.close();
  });

  it('ends a stream when its token expires', async () => {
    const jwt = new JwtService({ secret: E2E_JWT_SECRET });
    const token = jwt.sign({ sub: 'streamer' }, { algorithm: 'HS256', expiresIn: 2 });
    const stream = await openStream(token);
    expect(stream.status).toBe(200);
    const lasted = await Promise.race([
      stream.ended,
      new Promise<number>((r) => setTimeout(() => r(-1), 8000)),
    ]);
    stream.close();
    expect(lasted).toBeGreaterThan(500);
    expect(lasted).toBeLessThan(4000);
  });
});
