/**
 * The multipart edge under hostile clients (issue 12 §3, §4): uploads abandoned half-way (raw
 * sockets) used to leave an open descriptor and a `.part` file each; text fields were buffered up
 * to 100 × 1 MB; a malformed part header was a 500.
 */
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalStorageDriver } from '../../src/storage/local-storage.driver';
import { createE2eHarness, E2eHarness, eventually } from '../support/e2e-harness';

const API = '/api/v1/extraction';
const ABORTS = 20;

describe('multipart uploads from hostile clients', () => {
  let h: E2eHarness;
  let port: number;
  let tempDir: string;

  beforeAll(async () => {
    h = await createE2eHarness('local');
    const server = h.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    tempDir = join((h.storage as LocalStorageDriver).root, '.tmp');
  });
  afterAll(async () => {
    await h?.close();
  });

  const partialFiles = async () => (await readdir(tempDir)).filter((n) => n.endsWith('.part'));
  const descriptorsInto = async (dir: string) => {
    let count = 0;
    for (const fd of await readdir('/proc/self/fd')) {
      const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
      if (target.startsWith(dir)) count += 1;
    }
    return count;
  };

  /** Sends headers and part of a 1 MB body, waits until the API is writing it, then hangs up. */
  const abandonUpload = async (): Promise<void> => {
    const boundary = 'b0undary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\ndxf\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.dxf"\r\n` +
        `Content-Type: application/octet-stream\r\n\r\n0\r\nSECTION\r\n`,
    );
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST ${API}/jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${h.token('quitter')}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: ${1024 * 1024}\r\n\r\n`,
    );
    socket.write(head);
    socket.write(Buffer.alloc(256 * 1024, 0x20));
    await eventually('the partial file to appear', async () => (await partialFiles()).length > 0);
    socket.destroy();
  };

  it('closes and removes the partial file of every client that disconnects', async () => {
    for (let i = 0; i < ABORTS; i += 1) {
      await abandonUpload();
      await eventually(
        'the partial file to go',
        async () => (await partialFiles()).length === 0,
        5000,
      );
    }
    expect(await partialFiles()).toEqual([]);
    expect(await descriptorsInto(tempDir)).toBe(0);
    const rows = await h.db.dataSource.query(`SELECT count(*)::int AS n FROM extraction_jobs`);
    expect(rows[0].n).toBe(0);
    // The API still serves uploads afterwards.
    const ok = await h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', `Bearer ${h.token('quitter')}`)
      .attach('file', Buffer.from('0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n'), 'ok.dxf')
      .field('format', 'dxf');
    expect(ok.status).toBe(202);
  });

  const auth = () => `Bearer ${h.token('fields')}`;
  const rowCount = async () =>
    (await h.db.dataSource.query(`SELECT count(*)::int AS n FROM extraction_jobs`))[0].n as number;

  it('refuses more text fields, or larger ones, than the forms need (400, nothing created)', async () => {
    const before = await rowCount();
    const many = h.http().post(`${API}/jobs`).set('Authorization', auth()).field('format', 'dxf');
    for (let i = 0; i < 100; i += 1) many.field(`f${i}`, 'x'.repeat(1024));
    const tooMany = await many.attach('file', Buffer.from('0\nEOF\n'), 'a.dxf');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.code).toBe('VALIDATION_FAILED');

    const big = await h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', auth())
      .field('format', 'dxf')
      .field('options', JSON.stringify({ extract_text: true, pad: 'x'.repeat(100 * 1024) }))
      .attach('file', Buffer.from('0\nEOF\n'), 'a.dxf');
    expect(big.status).toBe(400);
    expect(big.body.code).toBe('VALIDATION_FAILED');
    expect(await rowCount()).toBe(before);
  });

  it('answers a malformed part header (a NUL in the file name) with 400, not 500', async () => {
    const body = Buffer.from(
      '--xx\r\nContent-Disposition: form-data; name="format"\r\n\r\ndxf\r\n' +
        '--xx\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.dxf"\r\n\r\n' +
        '0\nEOF\n\r\n--xx--\r\n',
      'latin1',
    );
    for (const route of ['/jobs', '/dxf', '/bulk']) {
      const res = await h
        .http()
        .post(`${API}${route}`)
        .set('Authorization', auth())
        .set('Content-Type', 'multipart/form-data; boundary=xx')
        .send(body);
      expect({ route, status: res.status, code: res.body.code }).toEqual({
        route,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });
});
