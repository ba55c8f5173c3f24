/**
 * The frontend's contract end to end (SEED-NOTES.md §1): real HTTP, real PostgreSQL, Redis, a
 * worker process with the real extractors, and storage on a local folder and on an S3 server.
 */
import { JwtService } from '@nestjs/jwt';
import { ownerStoragePrefix, resultObjectKey } from '../../src/storage/object-key';
import { contractProblems, coveredRoutes } from '../support/openapi-contract';
import {
  createE2eHarness,
  E2E_JWT_SECRET,
  E2eHarness,
  eventually,
  MAX_UPLOAD_BYTES,
  StorageKind,
  SYNC_MAX_BYTES,
} from '../support/e2e-harness';
import {
  SAMPLE_DXF,
  SAMPLE_PNG,
  samplePdf,
  sampleIfc,
  sampleStep,
  TRUNCATED_DXF,
} from '../support/sample-files';

const API = '/api/v1/extraction';

interface BulkFile {
  filename: string;
  status: string;
  job_id: string;
  retry_count: number;
  result: unknown;
}
const dxf = Buffer.from(SAMPLE_DXF);
/**
 * The sample DXF with a comment of its own: an owner's identical uploads share one stored object
 * (result reuse, issue 16), so tests about a job's own object upload bytes no other job has.
 */
let uniques = 0;
const uniqueDxf = () => Buffer.concat([Buffer.from(`999\nunique ${(uniques += 1)}\n`), dxf]);

describe.each<StorageKind>(['local', 's3'])('extraction API with %s storage', (kind) => {
  let h: E2eHarness;
  let alice: string;
  let bob: string;
  let admin: string;

  beforeAll(async () => {
    h = await createE2eHarness(kind);
    alice = `Bearer ${h.token('alice')}`;
    bob = `Bearer ${h.token('bob')}`;
    admin = `Bearer ${h.token('root', true)}`;
  });
  afterAll(async () => {
    await h?.close();
  });

  const job = async (auth: string, id: string) =>
    (await h.http().get(`${API}/jobs/${id}`).set('Authorization', auth)).body as Record<
      string,
      unknown
    >;
  const settled = (auth: string, id: string) =>
    eventually(`job ${id} to settle`, async () => {
      const body = await job(auth, id);
      return ['completed', 'failed', 'cancelled'].includes(body.status as string) ? body : null;
    });
  const upload = (
    auth: string,
    file: Buffer,
    name: string,
    format: string,
    extra: Record<string, string> = {},
  ) => {
    const req = h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', auth)
      .attach('file', file, name)
      .field('format', format);
    for (const [k, v] of Object.entries(extra)) req.field(k, v);
    return req;
  };
  const rowCount = async () =>
    Number((await h.db.dataSource.query(`SELECT count(*)::int AS n FROM extraction_jobs`))[0].n);

  describe('jobs as the frontend creates and polls them', () => {
    it.each([
      ['dxf', 'part.dxf', () => Promise.resolve(dxf)],
      ['ifc', 'building.ifc', () => Promise.resolve(sampleIfc())],
      ['step', 'box.step', () => Promise.resolve(sampleStep())],
      ['pdf', 'drawing.pdf', samplePdf],
    ])(
      'extracts a %s upload: 202 pending, then completed with its result',
      async (format, name, make) => {
        const res = await upload(alice, await make(), name, format, { target_table_id: 'tbl-7' });
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({
          status: 'pending',
          format,
          filename: name,
          retry_count: 0,
          max_retries: 3,
          progress: 0,
          target_table_id: 'tbl-7',
          started_at: null,
          error_message: null,
        });
        const done = await settled(alice, res.body.id);
        expect(done).toMatchObject({ status: 'completed', progress: 100, error_code: null });
        expect(done.result).toMatchObject({
          source_file: name,
          source_type: format,
          success: true,
        });
        const full = await h
          .http()
          .get(`${API}/jobs/${res.body.id}/result`)
          .set('Authorization', alice);
        expect(full.status).toBe(200);
        expect(full.body).toMatchObject({ source_type: format, success: true });
      },
    );

    it('fails a werk24 job permanently with NOT_CONFIGURED when Werk24 has no credentials', async () => {
      const res = await upload(alice, SAMPLE_PNG, 'scan.png', 'werk24');
      expect(res.status).toBe(202);
      const done = await settled(alice, res.body.id);
      expect(done).toMatchObject({
        status: 'failed',
        error_code: 'NOT_CONFIGURED',
        retry_count: 0,
      });
    });

    it('keeps a partial result and fails with a clear error for a truncated file', async () => {
      const res = await upload(alice, Buffer.from(TRUNCATED_DXF), 'cut.dxf', 'dxf');
      const done = await settled(alice, res.body.id);
      expect(done).toMatchObject({ status: 'failed', error_code: 'EXTRACTION_UNSUCCESSFUL' });
      expect(done.error_message).toContain('truncated');
      expect(done.result).toMatchObject({ success: false });
    });

    it('lists with filters and pages, and validates page_size', async () => {
      const user = `Bearer ${h.token('lister')}`;
      for (let i = 0; i < 3; i += 1)
        expect((await upload(user, dxf, `l${i}.dxf`, 'dxf')).status).toBe(202);
      const page1 = await h.http().get(`${API}/jobs?page=1&page_size=2`).set('Authorization', user);
      const page2 = await h.http().get(`${API}/jobs?page=2&page_size=2`).set('Authorization', user);
      expect(page1.body).toMatchObject({ total: 3, page: 1, page_size: 2 });
      expect(page1.body.items).toHaveLength(2);
      expect(page2.body.items).toHaveLength(1);
      const ids = [...page1.body.items, ...page2.body.items].map((j: { id: string }) => j.id);
      expect(new Set(ids).size).toBe(3);
      const filtered = await h
        .http()
        .get(`${API}/jobs?status=cancelled&format=dxf`)
        .set('Authorization', user);
      expect(filtered.body).toMatchObject({ total: 0, items: [] });
      const bad = await h.http().get(`${API}/jobs?page_size=101`).set('Authorization', user);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('returns the same job for a repeated Idempotency-Key', async () => {
      const first = await upload(alice, dxf, 'same.dxf', 'dxf').set(
        'Idempotency-Key',
        `key-${kind}`,
      );
      const again = await upload(alice, dxf, 'same.dxf', 'dxf').set(
        'Idempotency-Key',
        `key-${kind}`,
      );
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(first.body.id);
    });

    it('streams progress and status as Server-Sent Events until the job is final', async () => {
      const res = await upload(alice, dxf, 'events.dxf', 'dxf');
      const stream = await h
        .http()
        .get(`${API}/jobs/${res.body.id}/events?access_token=${h.token('alice')}`)
        .buffer(true)
        .parse((r, done) => {
          let text = '';
          r.on('data', (c: Buffer) => (text += c.toString()));
          r.on('end', () => done(null, text));
        });
      expect(stream.status).toBe(200);
      const events = (stream.body as string)
        .split('\n\n')
        .filter(Boolean)
        .map((block) => ({
          type: /event: (\w+)/.exec(block)?.[1],
          data: JSON.parse(/data: (.*)/.exec(block)![1]) as { status: string },
        }));
      expect(events[0].type).toBe('status');
      expect(events.at(-1)).toMatchObject({ type: 'status', data: { status: 'completed' } });
    });

    it('deletes: an active job is cancelled, a finished one removed with its stored file', async () => {
      const res = await upload(alice, uniqueDxf(), 'del.dxf', 'dxf');
      await settled(alice, res.body.id);
      const key = (
        await h.db.dataSource.query(`SELECT file_url FROM extraction_jobs WHERE id = $1`, [
          res.body.id,
        ])
      )[0].file_url as string;
      await expect(h.storage.exists(h.storage.keyFromUrl(key))).resolves.toBe(true);
      expect(
        (await h.http().delete(`${API}/jobs/${res.body.id}`).set('Authorization', alice)).status,
      ).toBe(204);
      expect(
        (await h.http().get(`${API}/jobs/${res.body.id}`).set('Authorization', alice)).status,
      ).toBe(404);
      await expect(h.storage.exists(h.storage.keyFromUrl(key))).resolves.toBe(false);
    });

    it('answers the retry cases of the original', async () => {
      const failed = await upload(alice, SAMPLE_PNG, 'r.png', 'werk24');
      await settled(alice, failed.body.id);
      const retried = await h
        .http()
        .post(`${API}/jobs/${failed.body.id}/retry`)
        .set('Authorization', alice);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ status: 'pending', retry_count: 1, error_code: null });
      const ok = await upload(alice, dxf, 'ok.dxf', 'dxf');
      await settled(alice, ok.body.id);
      const notFailed = await h
        .http()
        .post(`${API}/jobs/${ok.body.id}/retry`)
        .set('Authorization', alice);
      expect(notFailed.status).toBe(400);
      expect(notFailed.body.message).toContain('not in failed state');
      const unknown = await h
        .http()
        .post(`${API}/jobs/00000000-0000-4000-8000-000000000000/retry`)
        .set('Authorization', alice);
      expect(unknown.status).toBe(404);
      expect((await h.http().post(`${API}/jobs/${ok.body.id}/retry`)).status).toBe(401);
    });
  });

  describe('synchronous per-format routes', () => {
    it('extracts a small DXF with the frontend fields', async () => {
      const res = await h
        .http()
        .post(`${API}/dxf`)
        .set('Authorization', alice)
        .attach('file', dxf, 'part.dxf')
        .field('extract_layers', 'true')
        .field('extract_blocks', 'false')
        .field('extract_dimensions', 'true')
        .field('extract_text', 'true')
        .field('extract_title_block', 'true')
        .field('extract_geometry', 'true');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ source_type: 'dxf', success: true, blocks: [] });
      expect(res.body.layers.map((l: { name: string }) => l.name)).toEqual(
        expect.arrayContaining(['OUTLINE', 'NOTES']),
      );
      expect(res.body.text_blocks.map((t: { text: string }) => t.text)).toContain('PART A-100');
    });

    it('refuses bad booleans, mismatched files, oversize files and an unconfigured Werk24 clearly', async () => {
      const bool = await h
        .http()
        .post(`${API}/dxf`)
        .set('Authorization', alice)
        .attach('file', dxf, 'a.dxf')
        .field('extract_layers', 'yes');
      expect(bool.status).toBe(400);
      expect(bool.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { field: 'extract_layers' },
      });
      const mismatch = await h
        .http()
        .post(`${API}/pdf`)
        .set('Authorization', alice)
        .attach('file', dxf, 'a.dxf');
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.code).toBe('FORMAT_MISMATCH');
      const disguised = await h
        .http()
        .post(`${API}/pdf`)
        .set('Authorization', alice)
        .attach('file', dxf, 'a.pdf');
      expect(disguised.status).toBe(400);
      expect(disguised.body.message).toContain('does not look like a pdf file');
      const big = await h
        .http()
        .post(`${API}/dxf`)
        .set('Authorization', alice)
        .attach('file', Buffer.alloc(SYNC_MAX_BYTES + 100_000, 0x30), 'big.dxf');
      expect(big.status).toBe(413);
      expect(big.body.message).toContain('/api/v1/extraction/jobs');
      const werk24 = await h
        .http()
        .post(`${API}/werk24`)
        .set('Authorization', alice)
        .attach('file', SAMPLE_PNG, 'd.png')
        .field('confidence_threshold', '0.7');
      expect(werk24.status).toBe(503);
      expect(werk24.body.code).toBe('NOT_CONFIGURED');
    });
  });

  describe('bulk', () => {
    const bulk = (auth: string, files: [Buffer, string][], fields: Record<string, string> = {}) => {
      const req = h.http().post(`${API}/bulk`).set('Authorization', auth);
      for (const [data, name] of files) req.attach('files', data, name);
      for (const [k, v] of Object.entries(fields)) req.field(k, v);
      return req;
    };
    const getBulk = async (auth: string, id: string) =>
      // Results of a page are inline only on request (issue 13: bounded bulk status).
      (await h.http().get(`${API}/bulk/${id}?include_results=true`).set('Authorization', auth))
        .body as Record<string, unknown> & { files: BulkFile[]; files_pending: number };
    const bulkSettled = (auth: string, id: string) =>
      eventually('bulk to settle', async () => {
        const b = await getBulk(auth, id);
        return b.files_pending === 0 ? b : null;
      });

    it('runs a bulk with a failing file, retries it twice and cancels', async () => {
      const res = await bulk(
        alice,
        [
          [dxf, 'a.dxf'],
          [Buffer.from(TRUNCATED_DXF), 'bad.dxf'],
          [dxf, 'b.dxf'],
          [Buffer.from('notes'), 'notes.txt'],
        ],
        { target_table_id: 'tbl-b' },
      );
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        total_files: 4,
        overall_status: 'pending',
        files_failed: 1,
        files_pending: 3,
        files_completed: 0,
        target_table_id: 'tbl-b',
      });
      expect(res.body.files.map((f: BulkFile) => [f.filename, f.status])).toEqual([
        ['a.dxf', 'pending'],
        ['bad.dxf', 'pending'],
        ['b.dxf', 'pending'],
        ['notes.txt', 'failed'],
      ]);
      expect(res.body.files[3]).toMatchObject({ error_code: 'UNSUPPORTED_FORMAT' });
      const ids = res.body.files.map((f: BulkFile) => f.job_id);

      let done = await bulkSettled(alice, res.body.bulk_job_id);
      expect(done).toMatchObject({
        overall_status: 'completed',
        files_completed: 2,
        files_failed: 2,
        files_pending: 0,
        progress: 100,
      });
      // Results are inlined only when asked (include_results=true, one page); by default each
      // entry links to its result (issue 12 §3, issue 13).
      const plain = await h
        .http()
        .get(`${API}/bulk/${res.body.bulk_job_id}`)
        .set('Authorization', alice);
      expect(plain.body.files[0].result).toBeNull();
      expect(plain.body.files[0].result_url).toBe(`${API}/jobs/${done.files[0].job_id}/result`);
      expect(done.files[0].result).toMatchObject({ success: true, source_file: 'a.dxf' });
      const firstResult = await h
        .http()
        .get(`${API}/jobs/${done.files[0].job_id}/result`)
        .set('Authorization', alice);
      expect(firstResult.body).toMatchObject({ success: true });

      for (let round = 1; round <= 2; round += 1) {
        const retry = await h
          .http()
          .post(`${API}/bulk/${res.body.bulk_job_id}/retry`)
          .set('Authorization', alice);
        expect(retry.status).toBe(200);
        expect(retry.body.files.map((f: BulkFile) => f.job_id)).toEqual(ids);
        expect(retry.body.files.map((f: BulkFile) => f.status)).toEqual([
          'completed',
          expect.stringMatching(/^(pending|processing|failed)$/),
          'completed',
          'failed',
        ]);
        expect(
          retry.body.files[1].error_code === null || retry.body.files[1].retry_count === round,
        ).toBe(true);
        done = await bulkSettled(alice, res.body.bulk_job_id);
        expect(done.files[1]).toMatchObject({
          status: 'failed',
          retry_count: round,
          error_code: 'EXTRACTION_UNSUCCESSFUL',
        });
        expect(done.files[0].status).toBe('completed');
      }

      const slow = await bulk(
        alice,
        // Distinct bytes: identical files would be extracted once and reused at once, and the
        // bulk could complete before the cancel arrives.
        Array.from({ length: 6 }, (_, i) => [uniqueDxf(), `s${i}.dxf`] as [Buffer, string]),
      );
      const cancel = await h
        .http()
        .post(`${API}/bulk/${slow.body.bulk_job_id}/cancel`)
        .set('Authorization', alice);
      expect(cancel.status).toBe(200);
      expect(cancel.body.overall_status).toBe('cancelled');
      expect(cancel.body.files_pending).toBe(0);
      expect(
        cancel.body.files_completed + cancel.body.files_failed + cancel.body.files_cancelled,
      ).toBe(6);
    });

    it('answers 400 "No failed jobs found" when every file completed', async () => {
      const res = await bulk(alice, [[dxf, 'x.dxf']]);
      expect(res.body).toMatchObject({ total_files: 1, files_pending: 1 });
      await bulkSettled(alice, res.body.bulk_job_id);
      const retry = await h
        .http()
        .post(`${API}/bulk/${res.body.bulk_job_id}/retry`)
        .set('Authorization', alice);
      expect(retry.status).toBe(400);
      expect(retry.body).toMatchObject({ code: 'NO_FAILED_JOBS', message: 'No failed jobs found' });
    });

    it('refuses the whole bulk without continue_on_error, keeping nothing', async () => {
      const before = await rowCount();
      const res = await bulk(
        `Bearer ${h.token('strict')}`,
        [
          [dxf, 'ok.dxf'],
          [Buffer.from('x'), 'x.doc'],
        ],
        { continue_on_error: 'false' },
      );
      expect(res.status).toBe(400);
      expect(res.body.details.files[0]).toMatchObject({
        filename: 'x.doc',
        code: 'UNSUPPORTED_FORMAT',
      });
      expect(await rowCount()).toBe(before);
      await expect(h.storage.deletePrefix(ownerStoragePrefix('strict').slice(0, -1))).resolves.toBe(
        0,
      );
    });
  });

  describe('security', () => {
    it('answers 401 without a token or with a bad one', async () => {
      expect((await h.http().get(`${API}/jobs`)).status).toBe(401);
      const bad = await h.http().get(`${API}/jobs`).set('Authorization', 'Bearer not.a.token');
      expect(bad.status).toBe(401);
      expect(bad.body.code).toBe('UNAUTHENTICATED');
    });

    it('refuses tokens without exp, living too long, or with an ambiguous subject', async () => {
      const jwt = new JwtService({ secret: E2E_JWT_SECRET });
      const now = Math.floor(Date.now() / 1000);
      const refused: Array<[object, string]> = [
        [{ sub: 'alice' }, 'no expiry'],
        [{ sub: 'alice', iat: now, exp: now + 8 * 24 * 3600 }, 'longer than the allowed'],
        [{ sub: ' alice ', exp: now + 60 }, 'surrounding spaces'],
        [{ sub: 'alice\n', exp: now + 60 }, 'surrounding spaces'],
        [{ sub: '', exp: now + 60 }, 'no subject'],
      ];
      for (const [claims, reason] of refused) {
        const res = await h
          .http()
          .get(`${API}/jobs`)
          .set('Authorization', `Bearer ${jwt.sign(claims, { algorithm: 'HS256' })}`);
        expect({ claims, status: res.status, code: res.body.code }).toEqual({
          claims,
          status: 401,
          code: 'UNAUTHENTICATED',
        });
        expect(res.body.message).toContain(reason);
      }
      const fine = jwt.sign({ sub: 'alice', exp: now + 3600 }, { algorithm: 'HS256' });
      expect(
        (await h.http().get(`${API}/jobs`).set('Authorization', `Bearer ${fine}`)).status,
      ).toBe(200);
    });

    it.each(['results', 'uploads', '..', 'a/b', '_x'])(
      "gives subject %p no way to another user's uploads or results",
      async (subject) => {
        const resultKey = resultObjectKey('bob', '00000000-0000-4000-8000-000000000001', 1);
        const uploadKey = `${ownerStoragePrefix('bob')}00000000-0000-4000-8000-000000000001/x.dxf`;
        await h.storage.putBuffer(resultKey, '{"success":true}');
        await h.storage.putBuffer(uploadKey, SAMPLE_DXF);
        for (const key of [resultKey, uploadKey]) {
          const res = await h
            .http()
            .post(`${API}/jobs`)
            .set('Authorization', `Bearer ${h.token(subject)}`)
            .send({ file_url: h.storage.urlFor(key), format: 'dxf' });
          expect({ key, status: res.status, code: res.body.code }).toEqual({
            key,
            status: 400,
            code: 'STORAGE_OUTSIDE',
          });
        }
      },
    );

    it("hides another user's jobs and bulks (404) everywhere", async () => {
      const mine = await upload(alice, dxf, 'private.dxf', 'dxf');
      const myBulk = await h
        .http()
        .post(`${API}/bulk`)
        .set('Authorization', alice)
        .attach('files', dxf, 'p.dxf');
      const id = mine.body.id as string;
      const calls = [
        h.http().get(`${API}/jobs/${id}`),
        h.http().get(`${API}/jobs/${id}/result`),
        h.http().get(`${API}/jobs/${id}/events`),
        h.http().post(`${API}/jobs/${id}/cancel`),
        h.http().post(`${API}/jobs/${id}/retry`),
        h.http().delete(`${API}/jobs/${id}`),
        h.http().get(`${API}/bulk/${myBulk.body.bulk_job_id}`),
        h.http().post(`${API}/bulk/${myBulk.body.bulk_job_id}/retry`),
        h.http().post(`${API}/bulk/${myBulk.body.bulk_job_id}/cancel`),
      ];
      for (const call of calls) {
        const res = await call.set('Authorization', bob);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('JOB_NOT_FOUND');
      }
      const list = await h.http().get(`${API}/jobs`).set('Authorization', bob);
      expect(list.body.items.map((j: { id: string }) => j.id)).not.toContain(id);
      expect((await job(alice, id)).status).not.toBe('cancelled');
    });

    it('keeps admin routes for superusers, routed before /jobs/{id}', async () => {
      for (const [method, path] of [
        ['get', 'jobs/stats'],
        ['get', 'jobs/stuck?timeout_minutes=30'],
        ['post', 'jobs/cleanup?older_than_days=30&dry_run=true'],
      ] as const) {
        const user = await h.http()[method](`${API}/${path}`).set('Authorization', alice);
        expect(user.status).toBe(403);
        const root = await h.http()[method](`${API}/${path}`).set('Authorization', admin);
        expect(root.status).toBe(200);
      }
      const stats = await h.http().get(`${API}/jobs/stats`).set('Authorization', admin);
      expect(stats.body.total).toBeGreaterThan(0);
      expect(stats.body.by_status).toHaveProperty('completed');
      const dry = await h
        .http()
        .post(`${API}/jobs/cleanup?older_than_days=0&dry_run=true`)
        .set('Authorization', admin);
      expect(dry.body).toMatchObject({ dry_run: true, older_than_days: 0 });
      expect(dry.body.would_delete).toBeGreaterThan(0);
    });

    it('opens the queue dashboard to superusers only', async () => {
      expect((await h.http().get('/admin/queues/api/queues')).status).toBe(401);
      expect(
        (await h.http().get('/admin/queues/api/queues').set('Authorization', alice)).status,
      ).toBe(403);
      const board = await h.http().get('/admin/queues/api/queues').set('Authorization', admin);
      expect(board.status).toBe(200);
      expect(board.body.queues.map((q: { name: string }) => q.name)).toEqual(['extraction']);
    });

    it('marks the dashboard cookie Secure when the browser came over https', async () => {
      const token = h.token('root', true);
      const plain = await h.http().get(`/admin/queues/api/queues?access_token=${token}`);
      const proxied = await h
        .http()
        .get(`/admin/queues/api/queues?access_token=${token}`)
        .set('X-Forwarded-Proto', 'https');
      expect(plain.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict$/);
      expect(proxied.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict; Secure$/);
    });

    it('answers 413 over the upload limit and leaves nothing in storage or the database', async () => {
      const before = await rowCount();
      const res = await upload(
        `Bearer ${h.token('big')}`,
        Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x30),
        'huge.dxf',
        'dxf',
      );
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('FILE_TOO_LARGE');
      expect(await rowCount()).toBe(before);
      await expect(h.storage.deletePrefix(ownerStoragePrefix('big').slice(0, -1))).resolves.toBe(0);
    });

    it('refuses a file whose extension does not match the format', async () => {
      const res = await upload(alice, dxf, 'part.dxf', 'ifc');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'FORMAT_MISMATCH',
        details: { allowed_extensions: ['.ifc'] },
      });
      const unknown = await upload(alice, dxf, 'part.doc', 'dxf');
      expect(unknown.status).toBe(400);
      expect(unknown.body.details.allowed_extensions).toContain('.dxf');
    });

    // s3rver keeps objects as files named after the key plus a suffix, so it cannot hold a
    // 255-character name (real S3 can); there the long name stays below its limit.
    const long =
      kind === 'local'
        ? [`${'x'.repeat(400)}.dxf`, `${'x'.repeat(251)}.dxf`]
        : [`${'x'.repeat(226)}.dxf`, `${'x'.repeat(226)}.dxf`];
    it.each([
      ['../../etc/passwd.dxf', 'passwd.dxf'],
      long,
      ['Zeichnung-Überblick 図面.dxf', 'Zeichnung-Uberblick___.dxf'],
      ['.hidden.dxf', 'hidden.dxf'],
    ])('stores the hostile filename %j safely', async (name, stored) => {
      const res = await upload(alice, uniqueDxf(), name, 'dxf');
      expect(res.status).toBe(202);
      expect(res.body.filename).toBe(stored);
      const url = (
        await h.db.dataSource.query(`SELECT file_url FROM extraction_jobs WHERE id = $1`, [
          res.body.id,
        ])
      )[0].file_url as string;
      expect(h.storage.keyFromUrl(url)).toBe(`uploads/alice/${res.body.id}/${stored}`);
    });

    it('creates JSON jobs only for objects of the caller in our storage', async () => {
      const key = `${ownerStoragePrefix('alice')}from-host/by-host.dxf`;
      await h.storage.putBuffer(key, SAMPLE_DXF);
      const ok = await h
        .http()
        .post(`${API}/jobs`)
        .set('Authorization', alice)
        .send({ file_url: h.storage.urlFor(key), record_id: 'r1', attachment_id: 'a1' });
      expect(ok.status).toBe(202);
      expect(ok.body).toMatchObject({
        format: 'dxf',
        filename: 'by-host.dxf',
        record_id: 'r1',
        attachment_id: 'a1',
      });
      const again = await h
        .http()
        .post(`${API}/jobs`)
        .set('Authorization', alice)
        .set('Idempotency-Key', `json-${kind}`)
        .send({ file_url: h.storage.urlFor(key) });
      const repeat = await h
        .http()
        .post(`${API}/jobs`)
        .set('Authorization', alice)
        .set('Idempotency-Key', `json-${kind}`)
        .send({ file_url: h.storage.urlFor(key) });
      expect(repeat.body.id).toBe(again.body.id);
      for (const file_url of [
        'local://../../etc/passwd',
        's3://another-bucket/alice/x.dxf',
        'file:///etc/passwd',
        'https://example.com/a.dxf',
        h.storage.urlFor(`${ownerStoragePrefix('bob')}x/y.dxf`),
      ]) {
        const res = await h
          .http()
          .post(`${API}/jobs`)
          .set('Authorization', alice)
          .send({ file_url });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('STORAGE_OUTSIDE');
      }
    });
  });

  it('serves the OpenAPI document', async () => {
    const res = await h.http().get('/api/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        `${API}/jobs`,
        `${API}/jobs/{id}`,
        `${API}/bulk`,
        `${API}/jobs/stats`,
      ]),
    );
  });

  // Last on purpose: checks every response the tests above received.
  it('answered every request as the OpenAPI document describes it', async () => {
    const document = (await h.http().get('/api/docs/openapi.json')).body as unknown;
    const covered = coveredRoutes(document, h.responses);
    expect(covered.length).toBeGreaterThan(20);
    expect(covered).toEqual(
      expect.arrayContaining([`POST ${API}/jobs 202`, `GET ${API}/jobs/{id} 200`]),
    );
    expect(contractProblems(document, h.responses)).toEqual([]);
    // The check can fail: an undocumented status, field or path is reported.
    const planted = contractProblems(document, [
      {
        method: 'get',
        path: `${API}/jobs`,
        status: 418,
        contentType: 'application/json',
        body: Buffer.from('{}'),
      },
      {
        method: 'get',
        path: `${API}/jobs/stats`,
        status: 200,
        contentType: 'application/json',
        body: Buffer.from('{"total":1}'),
      },
      {
        method: 'get',
        path: `${API}/nowhere/x/y`,
        status: 200,
        contentType: 'application/json',
        body: Buffer.from('{}'),
      },
      {
        method: 'get',
        path: `${API}/jobs/00000000-0000-4000-8000-000000000000/events`,
        status: 200,
        contentType: 'text/event-stream',
        body: Buffer.from('event: status\ndata: {"status":"done"}\n\n'),
      },
    ]);
    expect(planted).toEqual([
      expect.stringContaining('418: status not documented'),
      expect.stringContaining('jobs/stats → 200: / must have required property'),
      expect.stringContaining('is not in the document'),
      expect.stringContaining('event data'),
    ]);
  });
});
