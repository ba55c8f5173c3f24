/**
 * Issue 13 at the HTTP edge: per-owner quotas (429 QUOTA_EXCEEDED, nothing created), the bulk size
 * limit named in the error, the bounded GET /bulk/{id} (pages, filter, include_results, bad
 * parameters) and GET /bulk/{id}/events. Every response is checked against the OpenAPI document.
 */
import { contractProblems } from '../support/openapi-contract';
import { createE2eHarness, E2eHarness, eventually } from '../support/e2e-harness';
import { SAMPLE_DXF } from '../support/sample-files';

const API = '/api/v1/extraction';
const dxf = Buffer.from(SAMPLE_DXF);

interface BulkBody {
  bulk_job_id: string;
  overall_status: string;
  files: Array<{
    job_id: string;
    filename: string;
    status: string;
    result: unknown;
    result_url: string | null;
  }>;
  files_page: number;
  files_page_size: number;
  files_total: number;
  files_status?: string;
  files_completed: number;
  files_pending: number;
  total_files: number;
}

describe('fair scheduling at the API', () => {
  let h: E2eHarness;
  let bob: string;

  beforeAll(async () => {
    h = await createE2eHarness('local', { OWNER_MAX_ACTIVE_FILES: '6', BULK_MAX_FILES: '5' });
    bob = `Bearer ${h.token('bob')}`;
  });
  afterAll(async () => {
    await h?.close();
  });

  const bulk = (auth: string, names: string[]) => {
    const req = h.http().post(`${API}/bulk`).set('Authorization', auth);
    for (const name of names) req.attach('files', dxf, name);
    return req;
  };
  const single = (auth: string, name: string) =>
    h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', auth)
      .attach('file', dxf, name)
      .field('format', 'dxf');
  const getBulk = (auth: string, id: string, query = '') =>
    h.http().get(`${API}/bulk/${id}${query}`).set('Authorization', auth);

  describe('GET /bulk/{id}', () => {
    let id: string;

    beforeAll(async () => {
      const res = await bulk(bob, ['a.dxf', 'b.dxf', 'c.dxf', 'd.dxf', 'e.dxf']);
      expect(res.status).toBe(202);
      id = (res.body as BulkBody).bulk_job_id;
      await eventually('the bulk to settle', async () => {
        const b = (await getBulk(bob, id)).body as BulkBody;
        return b.files_pending === 0 ? b : null;
      });
    });

    it('answers the counters and the first page of files without results by default', async () => {
      const res = await getBulk(bob, id);
      expect(res.status).toBe(200);
      const body = res.body as BulkBody;
      expect(body).toMatchObject({
        bulk_job_id: id,
        overall_status: 'completed',
        total_files: 5,
        files_completed: 5,
        files_page: 1,
        files_page_size: 100,
        files_total: 5,
      });
      expect(body.files_status).toBeUndefined();
      expect(body.files.map((f) => f.filename)).toEqual([
        'a.dxf',
        'b.dxf',
        'c.dxf',
        'd.dxf',
        'e.dxf',
      ]);
      for (const f of body.files) {
        expect(f.result).toBeNull();
        expect(f.result_url).toBe(`${API}/jobs/${f.job_id}/result`);
      }
      const result = await h.http().get(body.files[0].result_url!).set('Authorization', bob);
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ success: true });
    });

    it('pages, filters by status and inlines the results of the page on request', async () => {
      const page3 = (await getBulk(bob, id, '?files_page=3&files_page_size=2')).body as BulkBody;
      expect(page3).toMatchObject({ files_page: 3, files_page_size: 2, files_total: 5 });
      expect(page3.files.map((f) => f.filename)).toEqual(['e.dxf']);
      const failed = (await getBulk(bob, id, '?files_status=failed')).body as BulkBody;
      expect(failed).toMatchObject({ files_total: 0, files_status: 'failed', files_completed: 5 });
      expect(failed.files).toEqual([]);
      const withResults = (await getBulk(bob, id, '?files_page_size=2&include_results=true'))
        .body as BulkBody;
      expect(withResults.files).toHaveLength(2);
      for (const f of withResults.files) expect(f.result).toMatchObject({ success: true });
    });

    it.each([
      ['files_page_size=0', 'files_page_size'],
      ['files_page_size=1000000', 'files_page_size'],
      ['files_page_size=-1', 'files_page_size'],
      ['files_page_size=abc', 'files_page_size'],
      ['files_page_size=501', 'files_page_size'],
      ['files_page=0', 'files_page'],
      ['files_status=done', 'files_status'],
      ['include_results=yes', 'include_results'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (query, field) => {
      const res = await getBulk(bob, id, `?${query}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field } });
    });

    it('streams the counters as Server-Sent Events until the bulk is final', async () => {
      const res = await bulk(bob, ['s1.dxf', 's2.dxf', 's3.dxf']);
      const started = Date.now();
      const stream = await h
        .http()
        .get(
          `${API}/bulk/${(res.body as BulkBody).bulk_job_id}/events?access_token=${h.token('bob')}`,
        )
        .buffer(true)
        .parse((r, done) => {
          let text = '';
          r.on('data', (c: Buffer) => (text += c.toString()));
          r.on('end', () => done(null, text));
        });
      const seconds = (Date.now() - started) / 1000;
      expect(stream.status).toBe(200);
      const events = (stream.body as string)
        .split('\n\n')
        .filter(Boolean)
        .map((block) => ({
          type: /event: (\w+)/.exec(block)?.[1],
          data: JSON.parse(/data: (.*)/.exec(block)![1]) as Record<string, unknown>,
        }));
      expect(events[0].type).toBe('status');
      expect(events.at(-1)).toMatchObject({
        type: 'status',
        data: { overall_status: 'completed', files_completed: 3, files_pending: 0, total_files: 3 },
      });
      expect(events.length).toBeLessThanOrEqual(2 * seconds + 2);
    });
  });

  describe('per-owner limits', () => {
    const count = async (owner: string) =>
      Number(
        (
          await h.db.dataSource.query(
            `SELECT count(*)::int AS n FROM extraction_jobs WHERE owner_id = $1`,
            [owner],
          )
        )[0].n,
      );

    it('refuses a bulk over BULK_MAX_FILES, naming the limit', async () => {
      const carol = `Bearer ${h.token('carol')}`;
      const res = await bulk(carol, ['1.dxf', '2.dxf', '3.dxf', '4.dxf', '5.dxf', '6.dxf']);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { max_files: 5 } });
      expect(res.body.message).toContain('5');
      expect(await count('carol')).toBe(0);
    });

    it('answers 429 QUOTA_EXCEEDED with Retry-After beyond the active files of an owner, creating nothing', async () => {
      await h.worker.stop('SIGKILL'); // keep what is created pending
      const dave = `Bearer ${h.token('dave')}`;
      expect((await bulk(dave, ['1.dxf', '2.dxf', '3.dxf', '4.dxf', '5.dxf'])).status).toBe(202);
      expect((await single(dave, 'six.dxf')).status).toBe(202);
      expect(await count('dave')).toBe(7); // a parent and 6 files

      const over = await single(dave, 'seven.dxf');
      expect(over.status).toBe(429);
      expect(over.headers['retry-after']).toBe('30');
      expect(over.body).toMatchObject({
        code: 'QUOTA_EXCEEDED',
        details: { limit: 6, active_files: 6, retry_after_seconds: 30 },
      });
      const overBulk = await bulk(dave, ['x.dxf']);
      expect(overBulk.status).toBe(429);
      expect(overBulk.body).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { limit: 6 } });
      expect(await count('dave')).toBe(7);
      // Another owner is not affected.
      expect((await single(`Bearer ${h.token('erin')}`, 'e.dxf')).status).toBe(202);
    });

    it('answered every request as the OpenAPI document describes it', async () => {
      const document = (await h.http().get('/api/docs/openapi.json')).body as unknown;
      expect(contractProblems(document, h.responses)).toEqual([]);
    });
  });
});
