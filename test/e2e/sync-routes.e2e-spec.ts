/**
 * Synchronous routes under load and hostile files (issue 12 §3): they queued without bound, kept
 * running after the client left, and two zip-bomb workbooks took the API from 125 MB to 2.4 GB.
 */
import type { Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { BomFixtures } from '../fixtures/bom/bom-fixtures';
import { readFile } from 'node:fs/promises';
import { createE2eHarness, E2eHarness } from '../support/e2e-harness';

const API = '/api/v1/extraction';
const OVERRIDES = join(__dirname, '..', 'support', 'test-extractors.js');

describe('synchronous routes: a bounded pool', () => {
  let h: E2eHarness;
  let port: number;
  beforeAll(async () => {
    h = await createE2eHarness('local', {
      EXTRACTOR_OVERRIDES: OVERRIDES,
      EXTRACTOR_THREADS: '1',
      SYNC_MAX_QUEUED: '1',
    });
    const server = h.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await h?.close();
  });
  const auth = () => `Bearer ${h.token('sync')}`;
  const extract = (command: string, name = 'bom.csv') =>
    h
      .http()
      .post(`${API}/bom/extract`)
      .set('Authorization', auth())
      .attach('file', Buffer.from(command), name);

  it('refuses requests beyond threads + SYNC_MAX_QUEUED with 503 SYNC_QUEUE_FULL and Retry-After', async () => {
    const busy = [extract('sleep:2500'), extract('sleep:2500')].map((r) => r.then((x) => x));
    await new Promise((r) => setTimeout(r, 500));
    const refused = await extract('ok');
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('SYNC_QUEUE_FULL');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const answers = await Promise.all(busy);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const later = await extract('ok');
    expect(later.status).toBe(200);
  });

  it('aborts the extraction of a client that disconnects, freeing the thread', async () => {
    const boundary = 'b0undary';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="wait.csv"\r\n` +
        `Content-Type: text/csv\r\n\r\nwait\r\n--${boundary}--\r\n`,
    );
    const req = httpRequest({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: `${API}/bom/extract`,
      headers: {
        Authorization: auth(),
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': body.length,
      },
    });
    req.on('error', () => undefined);
    req.end(body);
    await new Promise((r) => setTimeout(r, 700)); // the "wait" file now holds the only thread
    req.destroy();
    // The next file gets the thread within moments, not after the 60 s extraction timeout.
    const started = Date.now();
    const next = await extract('ok');
    expect(next.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('synchronous routes: zip bombs', () => {
  let h: E2eHarness;
  let fixtures: BomFixtures;
  beforeAll(async () => {
    // The shipped limit (BOM_MAX_UNCOMPRESSED_MB, 64 MB; extractor threads read it from the real
    // process environment, which a Jest suite cannot change) against 150 MB bombs of ~0.5 MB.
    h = await createE2eHarness('local', { SYNC_MAX_BYTES: String(2 * 1024 * 1024) });
    fixtures = await BomFixtures.create();
  });
  afterAll(async () => {
    await h?.close();
    await fixtures?.dispose();
  });

  it('refuses workbooks that would inflate past the limit, without inflating them', async () => {
    const bomb = await readFile(await fixtures.zipBombXlsx('bomb.xlsx', 150 * 1024 * 1024));
    const rssBefore = process.memoryUsage().rss;
    const answers = await Promise.all(
      [1, 2].map(() =>
        h
          .http()
          .post(`${API}/bom/extract`)
          .set('Authorization', `Bearer ${h.token('bomber')}`)
          .attach('file', bomb, 'bomb.xlsx'),
      ),
    );
    const rssAfter = process.memoryUsage().rss;
    for (const res of answers) {
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('FILE_TOO_LARGE');
      expect(res.body.message).toMatch(/expands to 150 MB .*at most 64 MB/);
    }
    console.log(
      `two ${bomb.length}-byte zip bombs (150 MB inflated each): RSS ${(rssBefore / 1048576).toFixed(0)} MB → ${(rssAfter / 1048576).toFixed(0)} MB`,
    );
    expect(rssAfter - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });
});
