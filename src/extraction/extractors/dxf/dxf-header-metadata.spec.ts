/**
 * Header-derived metadata on generated drawings: AutoCAD dates (midnight-based Julian days),
 * extents computed when the header has none, and block counts without the layout blocks.
 */
import { CadExtractionResult } from '../cad-result';
import {
  blockKindsDrawing,
  extentsDetailDrawing,
  extentsDrawing,
  featuresDrawing,
  headerDatesDrawing,
} from '../../../../test/fixtures/dxf/dxf-fixtures';
import { writeTemp } from '../../../../test/fixtures/dxf/dxf-writer';
import { dxfExtractor } from './dxf.extractor';

function extract(content: string): Promise<CadExtractionResult> {
  return dxfExtractor.extract({
    filePath: writeTemp('drawing.dxf', content),
    filename: 'drawing.dxf',
    options: {},
    onProgress: () => undefined,
    signal: new AbortController().signal,
  });
}

describe('DXF header metadata', () => {
  it('reads $TDCREATE/$TDUPDATE as day number + fraction since midnight (Autodesk example, midnight)', async () => {
    const r = await extract(headerDatesDrawing());
    expect(r.metadata).toMatchObject({
      created: '1999-12-31T21:58:35.000',
      modified: '2024-01-15T23:59:51.360',
      created_utc: '2024-01-16T00:00:08.640Z',
      modified_utc: '2024-01-14T23:59:51.360Z',
    });
  });

  it('keeps the header extents when they are real', async () => {
    const r = await extract(extentsDrawing('valid'));
    expect(r.metadata.extents).toEqual({ min: [1, 2, 0], max: [3, 4, 0] });
    expect(r.metadata.extents_source).toBe('header');
  });

  it.each(['none', 'placeholder'] as const)(
    'computes model-space extents from the coordinates when the header has %s',
    async (header) => {
      const r = await extract(extentsDrawing(header));
      // x: OUTER insert −95 (nested PLATE) … rotated, scaled PLATE insert 300;
      // y: LWPOLYLINE −80 … PLATE insert 320; the paper-space line at 1000…2000 is left out.
      expect(r.metadata.extents_source).toBe('computed');
      const ext = r.metadata.extents as { min: number[]; max: number[] };
      const round = (p: number[]) => p.map((v) => Math.round(v * 1e9) / 1e9 + 0);
      expect({ min: round(ext.min), max: round(ext.max) }).toEqual({
        min: [-95, -80, 0],
        max: [300, 320, 0],
      });
    },
  );

  it('gives exact boxes for circles, arcs and ellipses', async () => {
    const r = await extract(featuresDrawing());
    const ext = r.metadata.extents as { min: number[]; max: number[] };
    expect(r.metadata.extents_source).toBe('computed');
    // Lowest point is the ELLIPSE (centre 0,0, major axis 5, ratio 0.5) at y −2.5; the leftmost
    // is the same ellipse at x −5.
    expect(ext.min[0]).toBeCloseTo(-5, 9);
    expect(ext.min[1]).toBeCloseTo(-2.5, 9);
  });

  it('follows polyline bulges, estimates text outlines and reads dimension geometry blocks', async () => {
    const r = await extract(extentsDetailDrawing());
    const ext = r.metadata.extents as { min: number[]; max: number[] };
    expect(ext.min[0]).toBeCloseTo(0, 9);
    expect(ext.min[1]).toBeCloseTo(-20, 9); // the *D1 line, not only the definition points
    expect(ext.max[0]).toBeCloseTo(108, 9); // "ABCD": 4 characters × height 2 from x 100
    expect(ext.max[1]).toBeCloseTo(2, 9); // the text's cap height
    const noDimension = await extract(
      extentsDetailDrawing().replace('*D1\n  3\nStandard', 'missing\n  3\nStandard'),
    );
    // Without its geometry block the dimension adds its points only; the bulge reaches y −5.
    expect((noDimension.metadata.extents as { min: number[] }).min[1]).toBeCloseTo(-5, 9);
  });

  it('does not count *Model_Space/*Paper_Space* as anonymous blocks', async () => {
    const r = await extract(blockKindsDrawing());
    expect(r.metadata).toMatchObject({
      block_count: 1,
      anonymous_block_count: 2,
      layout_block_count: 4,
    });
    expect(r.blocks.map((b) => b.name)).toEqual(['BOLT']);
  });
});
