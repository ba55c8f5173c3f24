import { badInputs } from '../../../../test/fixtures/dxf/bad-inputs';
import { featuresDrawing } from '../../../../test/fixtures/dxf/dxf-fixtures';
import { writeTemp } from '../../../../test/fixtures/dxf/dxf-writer';
import { ExtractionError } from '../extraction-error';
import { DxfBlock } from './dxf-blocks';
import { dxfExtractor } from './dxf.extractor';

function run(content: string | Buffer, signal = new AbortController().signal) {
  const filePath = writeTemp('bad.dxf', content);
  return dxfExtractor.extract({
    filePath,
    filename: 'bad.dxf',
    options: {},
    onProgress: () => {},
    signal,
  });
}

describe('dxfExtractor on bad input', () => {
  for (const bad of badInputs()) {
    it(`handles ${bad.name}: ${bad.expect}`, async () => {
      const started = Date.now();
      if (bad.expect === 'partial') {
        const r = await run(bad.content);
        expect(r.success).toBe(false);
        expect(r.errors[0]).toMatch(/^The DXF file is truncated/);
      } else if (bad.expect === 'ok') {
        const r = await run(bad.content);
        expect(r.success).toBe(true);
        expect(r.errors).toEqual([]);
      } else {
        const err = await run(bad.content).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ExtractionError);
        expect((err as ExtractionError).code).toBe(bad.expect);
        expect((err as ExtractionError).permanent).toBe(true);
      }
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  }

  it('says that DWG is not readable', async () => {
    await expect(run(Buffer.from('AC1027\x00\x00\x00junk', 'latin1'))).rejects.toThrow(
      'This is a DWG file (AC1027, R2013), not a DXF: DWG is not readable here; export the drawing as DXF',
    );
  });

  it('names the format of a renamed PDF', async () => {
    await expect(run('%PDF-1.4\n')).rejects.toThrow(
      'This file is a PDF document, not a DXF drawing',
    );
  });

  it('keeps the partial content of a truncated file', async () => {
    const full = featuresDrawing();
    const r = await run(full.slice(0, full.indexOf('TITLEBLOCK_A3', full.indexOf('ENTITIES'))));
    expect(r.success).toBe(false);
    expect(r.layers.map((l) => l.name)).toEqual(['0', 'HIDDEN', 'FROZEN', 'LOCKED', 'TRUECOLOR']);
    expect(r.geometry_summary.lines).toBe(2);
  });

  it('marks recursive blocks and expands a 5000-level chain without overflowing', async () => {
    const bad = badInputs();
    const rec = await run(bad.find((b) => b.name === 'self-inserting block')!.content);
    expect((rec.blocks as DxfBlock[]).map((b) => [b.name, b.is_recursive])).toEqual([
      ['X', true],
      ['Y', true],
    ]);
    const deep = await run(bad.find((b) => b.name.startsWith('deeply nested'))!.content);
    const b0 = (deep.blocks as DxfBlock[])[0];
    expect(b0.nesting_depth).toBe(4999);
    expect(b0.expanded_entity_count).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses files above DXF_MAX_FILE_MB with FILE_TOO_LARGE', async () => {
    const before = process.env.DXF_MAX_FILE_MB;
    process.env.DXF_MAX_FILE_MB = '0.001';
    try {
      await expect(run(featuresDrawing())).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    } finally {
      if (before === undefined) delete process.env.DXF_MAX_FILE_MB;
      else process.env.DXF_MAX_FILE_MB = before;
    }
  });

  it('stops with ABORTED when the signal fired', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(run(featuresDrawing(), ac.signal)).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
