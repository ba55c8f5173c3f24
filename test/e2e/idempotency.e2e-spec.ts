/**
 * Idempotency keys over HTTP (issue 12 §5): a key used again with another file or format used to
 * return the first job silently; the same key on POST /bulk answered with the single job as a
 * "bulk" and dropped the uploaded files.
 */
import { SAMPLE_DXF } from '../support/sample-files';
import { createE2eHarness, E2eHarness } from '../support/e2e-harness';

const API = '/api/v1/extraction';
const dxf = Buffer.from(SAMPLE_DXF);
const otherDxf = Buffer.from(SAMPLE_DXF.replace('ENTITIES', 'ENTITIES\n999\nanother file'));

describe('Idempotency-Key over HTTP', () => {
  let h: E2eHarness;
  beforeAll(async () => {
    h = await createE2eHarness('local');
  });
  afterAll(async () => {
    await h?.close();
  });
  const auth = () => `Bearer ${h.token('idem')}`;
  const upload = (file: Buffer, name: string, key: string) =>
    h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', auth())
      .set('Idempotency-Key', key)
      .attach('file', file, name)
      .field('format', 'dxf');

  it('returns the first job for the same request and refuses a different one with 422', async () => {
    const first = await upload(dxf, 'a.dxf', 'k1');
    expect(first.status).toBe(202);
    const same = await upload(dxf, 'a.dxf', 'k1');
    expect(same.status).toBe(202);
    expect(same.body.id).toBe(first.body.id);
    for (const [file, name] of [
      [otherDxf, 'a.dxf'],
      [dxf, 'b.dxf'],
    ] as const) {
      const other = await upload(file, name, 'k1');
      expect(other.status).toBe(422);
      expect(other.body).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        details: { job_id: first.body.id },
      });
    }
    const rows = await h.db.dataSource.query(
      `SELECT count(*)::int AS n FROM extraction_jobs WHERE owner_id = 'idem'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('keeps keys of POST /jobs and POST /bulk apart', async () => {
    const single = await upload(dxf, 'c.dxf', 'k2');
    expect(single.status).toBe(202);
    const bulk = await h
      .http()
      .post(`${API}/bulk`)
      .set('Authorization', auth())
      .set('Idempotency-Key', 'k2')
      .attach('files', dxf, 'one.dxf')
      .attach('files', otherDxf, 'two.dxf');
    expect(bulk.status).toBe(202);
    const bulkId = bulk.body.bulk_job_id as string;
    expect(bulkId).not.toBe(single.body.id);
    const status = await h.http().get(`${API}/bulk/${bulkId}`).set('Authorization', auth());
    expect(status.status).toBe(200);
    expect(status.body.total_files).toBe(2);
  });
});
