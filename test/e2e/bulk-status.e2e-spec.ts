/**
 * `GET /bulk/{id}` never inlines the children's results (issue 12 §3: 500 × 110 KB results made a
 * 53.5 MB answer); each result stays at `GET /jobs/{job_id}/result`.
 */
import { SAMPLE_DXF } from '../support/sample-files';
import { createE2eHarness, E2eHarness, eventually } from '../support/e2e-harness';

const API = '/api/v1/extraction';
const dxf = Buffer.from(SAMPLE_DXF);

describe('bulk status without inline results', () => {
  let h: E2eHarness;
  beforeAll(async () => {
    h = await createE2eHarness('local');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists completed files without their results, which stay readable per job', async () => {
    const auth = `Bearer ${h.token('bulky')}`;
    const created = await h
      .http()
      .post(`${API}/bulk`)
      .set('Authorization', auth)
      .attach('files', dxf, 'one.dxf')
      .attach('files', dxf, 'two.dxf');
    expect(created.status).toBe(202);
    const id = created.body.bulk_job_id as string;
    const done = await eventually('the bulk to complete', async () => {
      const res = await h.http().get(`${API}/bulk/${id}`).set('Authorization', auth);
      return res.body.overall_status === 'completed' ? res : null;
    });
    expect(done.body.files).toHaveLength(2);
    for (const file of done.body.files as Array<{
      status: string;
      result: unknown;
      job_id: string;
    }>) {
      expect(file.status).toBe('completed');
      expect(file.result).toBeNull();
      const result = await h
        .http()
        .get(`${API}/jobs/${file.job_id}/result`)
        .set('Authorization', auth);
      expect(result.status).toBe(200);
      expect(result.body.success).toBe(true);
    }
  });
});
