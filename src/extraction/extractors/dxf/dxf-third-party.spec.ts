import { tarikjabiriDrawing } from '../../../../test/fixtures/dxf/tarikjabiri-drawing';
import { writeTemp } from '../../../../test/fixtures/dxf/dxf-writer';
import { dxfExtractor } from './dxf.extractor';

describe('dxfExtractor on a drawing written by @tarikjabiri/dxf', () => {
  it('reads its layers, texts, geometry and every dimension value', async () => {
    const filePath = writeTemp('tarikjabiri.dxf', tarikjabiriDrawing());
    const r = await dxfExtractor.extract({
      filePath,
      filename: 'tarikjabiri.dxf',
      options: {},
      onProgress: () => {},
      signal: new AbortController().signal,
    });
    expect(r.success).toBe(true);
    expect(r.metadata).toMatchObject({ dxf_version: 'AC1021', release: 'R2007', units: 'mm' });
    expect(
      r.layers.map((l) => [l.name, l.color, l.is_frozen, l.is_locked, l.entity_count]),
    ).toEqual([
      ['0', 'white', false, false, 8],
      ['WALLS', 'red', false, false, 3],
      ['NOTES', 'green', true, true, 2],
    ]);
    expect(r.dimensions.map((d) => [d.dimension_type, d.value, d.unit])).toEqual([
      ['linear', 100, 'mm'],
      ['aligned', 50, 'mm'],
      ['radius', 10, 'mm'],
      ['diameter', 20, 'mm'],
      ['angular', 90, 'deg'],
      ['angular3point', 45, 'deg'],
    ]);
    expect(r.text_blocks.map((t) => [t.text, t.height, t.layer])).toEqual([
      ['Housing Ø20', 3.5, 'NOTES'],
      ['First\nSecond', 2.5, 'NOTES'],
    ]);
    expect(r.geometry_summary).toMatchObject({
      lines: 2,
      circles: 1,
      hatches: 1,
      total_entities: 13,
    });
    expect((r.metadata.entity_counts as Record<string, number>).LEADER).toBe(1);
  });
});
