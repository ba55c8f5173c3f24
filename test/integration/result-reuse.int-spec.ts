/**
 * Result reuse through the real pipeline (PostgreSQL, Redis, worker child processes with the test
 * extractors, whose trace log counts the extractions): reuse within an owner and not across
 * owners, force_reextract, a version bump, concurrent duplicates extracted once, and stored
 * results shared by two jobs surviving the deletion of one.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExtractionJob } from '../../src/extraction/entities/extraction-job.entity';
import { EXTRACTOR_VERSIONS } from '../../src/extraction/extractors/extractor-versions';
import { createPipelineHarness, PipelineHarness } from '../support/pipeline-harness';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const traceLog = join(mkdtempSync(join(tmpdir(), 'reuse-trace-')), 'extractor.log');
/** How many extractions of files with this name started. */
const startsOf = (filename: string) =>
  existsSync(traceLog)
    ? readFileSync(traceLog, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith(`start ${filename} `)).length
    : 0;

describe('result reuse', () => {
  let h: PipelineHarness;
  let files = 0;

  beforeAll(async () => {
    h = await createPipelineHarness({
      TEST_EXTRACTOR_LOG: traceLog,
      INLINE_RESULT_MAX_BYTES: '1024',
    });
    await h.startWorker();
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function create(
    command: string,
    opts: { owner?: string; filename?: string; options?: Record<string, unknown> } = {},
  ): Promise<ExtractionJob> {
    files += 1;
    const filename = opts.filename ?? `reuse-${files}.dxf`;
    const { job } = await h.jobs.create({
      ownerId: opts.owner ?? 'owner-a',
      format: 'dxf',
      filename,
      fileUrl: await h.storeFile(filename, command),
      fileSize: command.length,
      contentSha256: sha256(command),
      options: opts.options ?? {},
    });
    return job;
  }

  const settled = (id: string) =>
    h.waitFor(`job ${id} to settle`, async () => {
      const job = await h.jobs.get(id);
      return ['completed', 'failed', 'cancelled'].includes(job.status) ? job : undefined;
    });

  it('reuses a completed result of the same owner, not of another owner', async () => {
    const first = await settled((await create('ok:shared-a')).id);
    expect(first.status).toBe('completed');
    expect(first.extractorVersion).toBe(EXTRACTOR_VERSIONS.dxf);
    expect(first.optionsDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(first.reusedFrom).toBeNull();

    const again = await create('ok:shared-a', { filename: 'again.dxf' });
    const reused = await settled(again.id);
    expect(reused.status).toBe('completed');
    expect(reused.reusedFrom).toBe(first.id);
    expect(startsOf('again.dxf')).toBe(0);
    // The result is the first one's, with this job's own file name.
    expect(reused.result).toEqual({ ...first.result, source_file: 'again.dxf' });
    // Byte for byte as stored: the first row's jsonb with only `source_file` replaced (the lookup
    // names it in SQL; the worker passes the text on unparsed).
    const [stored] = await h.db.dataSource.query(
      `SELECT r.result::text AS reused, ($2::jsonb)::text AS expected
       FROM extraction_jobs r WHERE r.id = $1`,
      [again.id, JSON.stringify({ ...first.result, source_file: 'again.dxf' })],
    );
    expect(stored.reused).toBe(stored.expected);
    expect(stored.reused).toContain('"source_file": "again.dxf"');

    const other = await settled(
      (await create('ok:shared-a', { owner: 'owner-b', filename: 'b.dxf' })).id,
    );
    expect(other.status).toBe('completed');
    expect(other.reusedFrom).toBeNull();
    expect(startsOf('b.dxf')).toBe(1);
  });

  it('extracts again with force_reextract, and with other options', async () => {
    const first = await settled((await create('ok:forced')).id);
    const forced = await settled(
      (await create('ok:forced', { filename: 'forced.dxf', options: { force_reextract: true } }))
        .id,
    );
    expect(forced.status).toBe('completed');
    expect(forced.reusedFrom).toBeNull();
    expect(startsOf('forced.dxf')).toBe(1);
    expect(forced.optionsDigest).toBe(first.optionsDigest); // the control option is not an option

    const otherOptions = await settled(
      (await create('ok:forced', { filename: 'blocks.dxf', options: { extract_blocks: false } }))
        .id,
    );
    expect(otherOptions.reusedFrom).toBeNull();
    expect(otherOptions.optionsDigest).not.toBe(first.optionsDigest);
    // Defaults written out are the same request as no options.
    const explicit = await settled(
      (await create('ok:forced', { filename: 'explicit.dxf', options: { extract_blocks: true } }))
        .id,
    );
    expect(explicit.reusedFrom).not.toBeNull();
    expect(startsOf('explicit.dxf')).toBe(0);
  });

  it('extracts concurrent duplicates of a bulk once; the others wait and reuse', async () => {
    const command = 'sleep:600';
    const list = [];
    for (let i = 0; i < 6; i += 1) {
      const filename = `dup-${i}.dxf`;
      list.push({
        format: 'dxf' as const,
        filename,
        fileUrl: await h.storeFile(filename, command),
        fileSize: command.length,
        contentSha256: sha256(command),
      });
    }
    const { parent, children } = await h.jobs.createBulk({ ownerId: 'owner-c', files: list });
    const done = await Promise.all(children.map((c) => settled(c.id)));
    expect(done.map((j) => j.status)).toEqual(Array(6).fill('completed'));
    const starts = list.reduce((n, f) => n + startsOf(f.filename), 0);
    expect(starts).toBe(1);
    expect(done.filter((j) => j.reusedFrom !== null)).toHaveLength(5);
    const bulk = await h.waitFor('bulk to settle', async () => {
      const p = await h.jobs.get(parent.id);
      return p.status === 'completed' ? p : undefined;
    });
    expect(bulk.processedItems).toBe(6);
  });

  it('shares a stored result between two jobs; deleting one keeps it for the other', async () => {
    const command = 'big:4000';
    const a = await settled((await create(command, { owner: 'owner-d', filename: 'big.dxf' })).id);
    const b = await settled((await create(command, { owner: 'owner-d', filename: 'big.dxf' })).id);
    expect(a.resultPath).not.toBeNull();
    expect(b.reusedFrom).toBe(a.id);
    expect(b.resultPath).toBe(a.resultPath); // referenced, not copied
    const key = h.storage.keyFromUrl(a.resultPath!);

    const first = await h.jobs.delete(a.id, 'owner-d');
    expect(first.files).toEqual([a.fileUrl]); // its own upload goes, the shared result stays
    const kept = JSON.parse((await h.storage.getBuffer(key)).toString('utf8')) as {
      metadata: { padding: string };
    };
    expect(kept.metadata.padding).toHaveLength(4000);
    expect(await h.storage.exists(h.storage.keyFromUrl(b.fileUrl!))).toBe(true);

    const last = await h.jobs.delete(b.id, 'owner-d');
    expect(last.files.sort()).toEqual([b.fileUrl, b.resultPath].sort());
  });

  it('a version bump stops reuse of older results', async () => {
    const first = await settled((await create('ok:versioned', { filename: 'v1.dxf' })).id);
    expect(first.extractorVersion).toBe(EXTRACTOR_VERSIONS.dxf);
    await Promise.all(h.workers.splice(0).map((w) => w.stop('SIGTERM')));
    await h.startWorker({ TEST_EXTRACTOR_VERSION: String(EXTRACTOR_VERSIONS.dxf + 1) });
    const bumped = await settled((await create('ok:versioned', { filename: 'v2.dxf' })).id);
    expect(bumped.status).toBe('completed');
    expect(bumped.reusedFrom).toBeNull();
    expect(bumped.extractorVersion).toBe(EXTRACTOR_VERSIONS.dxf + 1);
    expect(startsOf('v2.dxf')).toBe(1);
    const again = await settled((await create('ok:versioned', { filename: 'v2b.dxf' })).id);
    expect(again.reusedFrom).toBe(bumped.id);
  });

  it('reprocess re-runs the results of older versions, keeping them until the new ones', async () => {
    const bumpedVersion = EXTRACTOR_VERSIONS.dxf + 1;
    const old = await h.db.dataSource.query(
      `SELECT id FROM extraction_jobs WHERE owner_id = 'owner-a' AND status = 'completed'
         AND extractor_version < $1 ORDER BY id`,
      [bumpedVersion],
    );
    expect(old.length).toBeGreaterThan(3);
    const dry = await h.jobs.reprocess({
      ownerId: 'owner-a',
      extractorVersionLt: bumpedVersion,
      dryRun: true,
    });
    expect(dry).toEqual({ dryRun: true, matched: old.length, requeued: 0 });
    const before = await h.jobs.get(old[0].id);
    // Stop the worker so the kept result can be seen while the new attempt waits.
    await Promise.all(h.workers.splice(0).map((w) => w.stop('SIGTERM')));
    const run = await h.jobs.reprocess({ ownerId: 'owner-a', extractorVersionLt: bumpedVersion });
    expect(run).toEqual({ dryRun: false, matched: old.length, requeued: old.length });
    const waiting = await h.jobs.get(old[0].id);
    expect(waiting.status).toBe('pending');
    expect(waiting.result).toEqual(before.result);
    await h.startWorker({ TEST_EXTRACTOR_VERSION: String(bumpedVersion) });
    const redone = await Promise.all(old.map((r: { id: string }) => settled(r.id)));
    expect(redone.map((j) => [j.status, j.extractorVersion])).toEqual(
      old.map(() => ['completed', bumpedVersion]),
    );
    const left = await h.jobs.reprocess({
      ownerId: 'owner-a',
      extractorVersionLt: bumpedVersion,
      dryRun: true,
    });
    expect(left.matched).toBe(0);
    // Another owner's old results were not in the filter.
    const others = await h.jobs.reprocess({
      ownerId: 'owner-b',
      extractorVersionLt: bumpedVersion,
      dryRun: true,
    });
    expect(others.matched).toBe(1);
  });

  it('with RESULT_REUSE=global reuses across owners; with off never', async () => {
    const version = String(EXTRACTOR_VERSIONS.dxf + 1); // the version the last worker ran
    const source = await settled((await create('ok:global', { owner: 'owner-f' })).id);
    await Promise.all(h.workers.splice(0).map((w) => w.stop('SIGTERM')));
    await h.startWorker({ RESULT_REUSE: 'global', TEST_EXTRACTOR_VERSION: version });
    const other = await settled((await create('ok:global', { owner: 'owner-g' })).id);
    expect(other.reusedFrom).toBe(source.id);

    await Promise.all(h.workers.splice(0).map((w) => w.stop('SIGTERM')));
    await h.startWorker({ RESULT_REUSE: 'off', TEST_EXTRACTOR_VERSION: version });
    const off = await settled(
      (await create('ok:global', { owner: 'owner-f', filename: 'off.dxf' })).id,
    );
    expect(off.status).toBe('completed');
    expect(off.reusedFrom).toBeNull();
    expect(startsOf('off.dxf')).toBe(1);
  });
});
