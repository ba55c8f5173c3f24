/**
 * Result reuse over HTTP with the real DXF extractor: a re-upload of the same bytes by the same
 * user completes from the first result (byte-equal), another user's upload is extracted, and
 * force_reextract extracts again (equal but for the parse time). The admin reprocess route, and
 * every response checked against the OpenAPI document.
 */
import { contractProblems } from '../support/openapi-contract';
import { createE2eHarness, E2eHarness, eventually } from '../support/e2e-harness';
import { SAMPLE_DXF } from '../support/sample-files';

const API = '/api/v1/extraction';
const dxf = Buffer.from(SAMPLE_DXF);

describe('result reuse over HTTP', () => {
  let h: E2eHarness;
  let alice: string;
  let bob: string;
  let admin: string;

  beforeAll(async () => {
    h = await createE2eHarness('local');
    alice = `Bearer ${h.token('alice')}`;
    bob = `Bearer ${h.token('bob')}`;
    admin = `Bearer ${h.token('root', true)}`;
  });
  afterAll(async () => {
    await h?.close();
  });

  const upload = async (auth: string, extra: Record<string, string> = {}) => {
    const req = h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', auth)
      .attach('file', dxf, 'drawing.dxf')
      .field('format', 'dxf');
    for (const [k, v] of Object.entries(extra)) req.field(k, v);
    const res = await req;
    expect(res.status).toBe(202);
    return res.body.id as string;
  };
  const settled = (auth: string, id: string) =>
    eventually(`job ${id} to settle`, async () => {
      const res = await h.http().get(`${API}/jobs/${id}`).set('Authorization', auth);
      return ['completed', 'failed'].includes(res.body.status as string)
        ? (res.body as Record<string, unknown>)
        : null;
    });
  const resultText = async (auth: string, id: string) => {
    const res = await h.http().get(`${API}/jobs/${id}/result`).set('Authorization', auth);
    expect(res.status).toBe(200);
    return res.text;
  };
  /** The result as GET /jobs/{id}/result answers it, the measured parse time left out. */
  const withoutParseTime = (text: string) => {
    const result = JSON.parse(text) as { metadata: Record<string, unknown> };
    expect(typeof result.metadata.parse_time_ms).toBe('number');
    delete result.metadata.parse_time_ms;
    return result;
  };

  it('completes a re-upload from the first result, byte for byte, within the owner only', async () => {
    const first = await settled(alice, await upload(alice));
    expect(first).toMatchObject({ status: 'completed', reused_from: null, extractor_version: 1 });

    const again = await settled(alice, await upload(alice));
    expect(again).toMatchObject({ status: 'completed', reused_from: first.id });
    expect(await resultText(alice, again.id as string)).toBe(
      await resultText(alice, first.id as string),
    );

    const other = await settled(bob, await upload(bob));
    expect(other).toMatchObject({ status: 'completed', reused_from: null });

    const fresh = await settled(alice, await upload(alice, { force_reextract: 'true' }));
    expect(fresh).toMatchObject({ status: 'completed', reused_from: null });
    expect(fresh.options).toEqual({ force_reextract: true });
    // A fresh extraction gives the same result; only the measured parse time differs.
    expect(withoutParseTime(await resultText(alice, fresh.id as string))).toEqual(
      withoutParseTime(await resultText(alice, again.id as string)),
    );
  });

  it('reprocesses completed jobs on request of a superuser', async () => {
    const path = `${API}/jobs/reprocess?format=dxf&owner_id=alice&extractor_version_lt=2&dry_run=true`;
    expect((await h.http().post(path).set('Authorization', alice)).status).toBe(403);
    const dry = await h.http().post(path).set('Authorization', admin);
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ dry_run: true, matched: 3, requeued: 0 });

    const bad = await h
      .http()
      .post(`${API}/jobs/reprocess?format=docx&extractor_version_lt=0`)
      .set('Authorization', admin);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');

    const run = await h
      .http()
      .post(`${API}/jobs/reprocess?owner_id=bob&completed_before=2100-01-01T00:00:00Z`)
      .set('Authorization', admin);
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ dry_run: false, matched: 1, requeued: 1 });
    // Meanwhile bob sees his completed job with its result, and the reprocess beside it.
    const id = (await h.http().get(`${API}/jobs`).set('Authorization', bob)).body.items[0]
      .id as string;
    const during = await h.http().get(`${API}/jobs/${id}`).set('Authorization', bob);
    expect(during.status).toBe(200);
    expect(during.body.status).toBe('completed');
    expect(during.body.result).not.toBeNull();
    expect(['pending', 'processing', 'completed']).toContain(during.body.reprocess.status);
    const redone = await eventually("bob's job to complete again", async () => {
      const res = await h.http().get(`${API}/jobs/${id}`).set('Authorization', bob);
      return res.body.reprocess?.status === 'completed' ? res.body : null;
    });
    expect(redone.status).toBe('completed');
    expect(redone.completed_at >= during.body.completed_at).toBe(true);
  });

  it('stores identical uploads of an owner once; the object goes with its last job', async () => {
    const carol = `Bearer ${h.token('carol')}`;
    const first = await settled(carol, await upload(carol));
    const bulk = await h
      .http()
      .post(`${API}/bulk`)
      .set('Authorization', carol)
      .attach('files', dxf, 'copy-1.dxf')
      .attach('files', dxf, 'copy-2.dxf');
    expect(bulk.status).toBe(202);
    const rows: Array<{ id: string; file_url: string; kind: string }> = await h.db.dataSource.query(
      `SELECT id, file_url, kind::text FROM extraction_jobs WHERE owner_id = 'carol' AND kind <> 'bulk'`,
    );
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.file_url)).size).toBe(1); // one object for three jobs
    const key = h.storage.keyFromUrl(rows[0].file_url);
    const bulkId = bulk.body.bulk_job_id as string;
    await eventually('the bulk to settle', async () => {
      const res = await h.http().get(`${API}/bulk/${bulkId}`).set('Authorization', carol);
      return res.body.overall_status === 'completed' ? res.body : null;
    });

    // Deleting the first job keeps the object the bulk's files still read.
    const deleted = await h
      .http()
      .delete(`${API}/jobs/${first.id as string}`)
      .set('Authorization', carol);
    expect(deleted.status).toBe(204);
    expect(await h.storage.exists(key)).toBe(true);
    const child = rows.find((r) => r.kind === 'file')!;
    expect(
      (await h.http().get(`${API}/jobs/${child.id}/result`).set('Authorization', carol)).status,
    ).toBe(200);

    // The cleanup of the last jobs removes it.
    const cleanup = await h
      .http()
      .post(`${API}/jobs/cleanup?older_than_days=0`)
      .set('Authorization', admin);
    expect(cleanup.status).toBe(200);
    expect(cleanup.body.deleted).toBeGreaterThan(0);
    await eventually('the shared object to go', async () => !(await h.storage.exists(key)));
  });

  it('answered every request as the OpenAPI document describes it', async () => {
    const document = (await h.http().get('/api/docs/openapi.json')).body as unknown;
    expect(contractProblems(document, h.responses)).toEqual([]);
  });
});
