/**
 * Client errors and outages at the HTTP edge (issue 12 §4): a JSON body over the limit, JSON nested
 * deep enough to overflow class-transformer's stack and a database outage used to answer 500
 * INTERNAL_ERROR; X-Request-Id was echoed whatever it held.
 */
import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { createE2eHarness, E2eHarness } from '../support/e2e-harness';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const API = '/api/v1/extraction';

describe('client errors at the HTTP edge', () => {
  let h: E2eHarness;
  beforeAll(async () => {
    h = await createE2eHarness('local');
  });
  afterAll(async () => {
    await h?.close();
  });
  const auth = () => `Bearer ${h.token('edge')}`;

  it('answers a JSON body over the limit with 413, not 500', async () => {
    const res = await h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', auth())
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ file_url: 'x', pad: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('BODY_TOO_LARGE');
    expect(res.body.message).toMatch(/limit/);
  });

  it('answers deeply nested JSON with 400, not a stack overflow', async () => {
    const depth = 5_000;
    const body = `{"file_url":"x","options":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const res = await h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', auth())
      .set('Content-Type', 'application/json')
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.message).toMatch(/nested/);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', auth())
      .set('Content-Type', 'application/json')
      .send('{"file_url": ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('logs no 500 when a client hangs up in the middle of its JSON body', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error');
    try {
      const server = h.app.getHttpServer() as Server;
      if (!server.listening) {
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      }
      const port = (server.address() as { port: number }).port;
      const socket = connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST ${API}/jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${auth()}\r\n` +
          `Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"file_url": "`,
      );
      await new Promise((r) => setTimeout(r, 300));
      socket.destroy();
      await new Promise((r) => setTimeout(r, 500));
      expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });

  it('echoes a safe X-Request-Id and replaces anything else with a fresh id', async () => {
    const get = (id: string) =>
      h
        .http()
        .get(`${API}/jobs/00000000-0000-4000-8000-000000000000`)
        .set('Authorization', auth())
        .set('X-Request-Id', id);
    const ok = await get('req-42.a:b_C');
    expect(ok.status).toBe(404);
    expect(ok.headers['x-request-id']).toBe('req-42.a:b_C');
    expect(ok.body.request_id).toBe('req-42.a:b_C');
    for (const bad of ['x'.repeat(3000), 'a b', 'a<script>', 'ä']) {
      const res = await get(bad);
      expect(res.status).toBe(404);
      expect(res.headers['x-request-id']).not.toBe(bad);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.request_id).toBe(res.headers['x-request-id']);
    }
  });
});

describe('a database outage at the HTTP edge', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let h: E2eHarness;
  beforeAll(async () => {
    db = await createTestDatabase(2);
    const url = new URL(db.url);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
    url.host = `127.0.0.1:${proxy.port}`;
    h = await createE2eHarness('local', { DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await db?.close();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After while PostgreSQL is unreachable', async () => {
    const auth = `Bearer ${h.token('outage')}`;
    const before = await h.http().get(`${API}/jobs`).set('Authorization', auth);
    expect(before.status).toBe(200);
    proxy.cut();
    try {
      const res = await h.http().get(`${API}/jobs`).set('Authorization', auth);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      proxy.restore();
    }
  });
});
