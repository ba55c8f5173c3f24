/**
 * GET /jobs/{id}/result for a job that failed with EXTRACTION_UNSUCCESSFUL: its partial result is
 * answered with the job's status beside it, inline and when offloaded to storage (results above
 * INLINE_RESULT_MAX_BYTES = 4 KB here).
 */
import { truncatedTextsDrawing } from '../fixtures/dxf/dxf-fixtures';
import { createE2eHarness, E2eHarness, eventually } from '../support/e2e-harness';

const API = '/api/v1/extraction';

describe('partial results of unsuccessful extractions', () => {
  let h: E2eHarness;
  let alice: string;

  beforeAll(async () => {
    h = await createE2eHarness('local', { INLINE_RESULT_MAX_BYTES: '4096' });
    alice = `Bearer ${h.token('alice')}`;
  });
  afterAll(async () => {
    await h?.close();
  });

  const failedJob = async (content: string, name: string) => {
    const res = await h
      .http()
      .post(`${API}/jobs`)
      .set('Authorization', alice)
      .attach('file', Buffer.from(content), name)
      .field('format', 'dxf');
    expect(res.status).toBe(202);
    return eventually(`job ${res.body.id} to settle`, async () => {
      const body = (await h.http().get(`${API}/jobs/${res.body.id}`).set('Authorization', alice))
        .body as Record<string, unknown>;
      return ['completed', 'failed', 'cancelled'].includes(body.status as string) ? body : null;
    });
  };

  it.each([
    ['inline', 3, false],
    ['offloaded to storage', 400, true],
  ])('answers the partial result %s with the job status', async (_, texts, offloaded) => {
    const job = await failedJob(truncatedTextsDrawing(texts), `cut-${texts}.dxf`);
    expect(job).toMatchObject({ status: 'failed', error_code: 'EXTRACTION_UNSUCCESSFUL' });
    expect(job.result_url === null).toBe(!offloaded);
    expect(job.result === null).toBe(offloaded);
    const res = await h
      .http()
      .get(`${API}/jobs/${job.id as string}/result`)
      .set('Authorization', alice);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      source_type: 'dxf',
      success: false,
      job_status: 'failed',
      job_error_code: 'EXTRACTION_UNSUCCESSFUL',
      job_error_message: expect.stringContaining('truncated'),
    });
    expect(res.body.errors[0]).toContain('truncated');
    // Every complete TEXT before the cut is in the partial result.
    expect(res.body.text_blocks).toHaveLength(texts);
    expect(res.body.text_blocks[texts - 1].text).toBe(`NOTE ${texts}`);
  });

  it('still answers RESULT_NOT_READY for a job that failed without a result', async () => {
    const job = await failedJob('0\nSECTION\n2\nENTITIES\n0\nLINE\nxx\n0\n', 'damaged.dxf');
    expect(job).toMatchObject({ status: 'failed', error_code: 'CORRUPT_FILE', result: null });
    const res = await h
      .http()
      .get(`${API}/jobs/${job.id as string}/result`)
      .set('Authorization', alice);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RESULT_NOT_READY');
  });
});
