import { CadExtractionResult } from '../cad-result';
import { ExtractorOptions, ProgressUpdate } from '../extractor';
import {
  codePageDrawing,
  dimensionsDrawing,
  featuresDrawing,
  featuresSpec,
  textTitleBlockDrawing,
} from '../../../../test/fixtures/dxf/dxf-fixtures';
import {
  dxfBinary,
  dxfText,
  dxfTextWithLineEnds,
  writeTemp,
} from '../../../../test/fixtures/dxf/dxf-writer';
import { DxfBlock } from './dxf-blocks';
import { DxfLayer } from './dxf-result';
import { dxfExtractor } from './dxf.extractor';

async function extract(
  content: string | Buffer,
  options: ExtractorOptions = {},
  progress: ProgressUpdate[] = [],
): Promise<CadExtractionResult> {
  const filePath = writeTemp('drawing.dxf', content);
  return dxfExtractor.extract({
    filePath,
    filename: 'drawing.dxf',
    options,
    onProgress: (p) => progress.push(p),
    signal: new AbortController().signal,
  });
}

describe('dxfExtractor', () => {
  describe('dimensions', () => {
    let r: CadExtractionResult;
    beforeAll(async () => {
      r = await extract(dimensionsDrawing());
    });

    it('computes each dimension type from its definition points', () => {
      const got = r.dimensions.slice(0, 12).map((d) => [d.dimension_type, d.value, d.unit]);
      expect(got).toEqual([
        ['linear', 30, 'mm'],
        ['linear', 40, 'mm'],
        ['linear', Number((10 * Math.SQRT2).toPrecision(12)), 'mm'],
        ['aligned', 50, 'mm'],
        ['angular', 45, 'deg'],
        ['angular', 135, 'deg'],
        ['diameter', 10, 'mm'],
        ['radius', 5, 'mm'],
        ['angular3point', 90, 'deg'],
        ['angular3point', 270, 'deg'],
        ['ordinate', 25, 'mm'],
        ['ordinate', 12, 'mm'],
      ]);
    });

    it('prefers the stored measurement (group 42), angular ones converted from radians', () => {
      expect(r.dimensions[12]).toMatchObject({ dimension_type: 'linear', value: 12.5 });
      expect(r.dimensions[13]).toMatchObject({ dimension_type: 'angular', value: 45, unit: 'deg' });
    });

    it('parses tolerances from the text override and the DSTYLE override', () => {
      const tol = r.dimensions.slice(14).map((d) => [d.tolerance_plus, d.tolerance_minus, d.label]);
      expect(tol).toEqual([
        [0.1, -0.1, '30±0.1'],
        [0.1, -0.2, 'Ø10+0.1/-0.2'],
        [0.05, -0.05, '±0.05'],
        [0.02, -0.01, '20'],
        [null, null, 'SEE NOTE'],
      ]);
    });

    it('takes the linear unit from $INSUNITS', async () => {
      const inches = await extract(dimensionsDrawing(1));
      expect(inches.dimensions[0].unit).toBe('in');
      expect(inches.dimensions[4].unit).toBe('deg');
      const unitless = await extract(dimensionsDrawing(0));
      expect(unitless.dimensions[0].unit).toBeNull();
      expect(unitless.warnings).toContain(
        'The drawing declares no units ($INSUNITS): linear dimension units are null',
      );
    });
  });

  describe('drawing features', () => {
    let r: CadExtractionResult;
    beforeAll(async () => {
      r = await extract(featuresDrawing(), { extract_entities: true });
    });

    it('reads version, units, limits and dates from the header', () => {
      expect(r.success).toBe(true);
      expect(r.metadata).toMatchObject({
        dxf_version: 'AC1024',
        release: 'R2010',
        insunits: 6,
        units: 'm',
        units_name: 'meters',
        code_page: 'ANSI_1252',
        limits: { min: [0, 0], max: [420, 297] },
        created: '2024-01-15T00:00:00.000',
        modified: '2024-01-15T18:00:00.000',
        text_encoding: 'utf-8',
      });
    });

    it('reports layer colours, flags, lineweights and model-space entity counts', () => {
      const layers = r.layers as DxfLayer[];
      const pick = (n: string) => layers.find((l) => l.name === n);
      expect(pick('HIDDEN')).toMatchObject({
        color: 'red',
        linetype: 'HIDDEN',
        lineweight: 0.25,
        is_on: false,
        is_frozen: false,
        is_locked: false,
        entity_count: 2,
      });
      expect(pick('FROZEN')).toMatchObject({
        color: 'green',
        is_on: true,
        is_frozen: true,
        entity_count: 1,
      });
      expect(pick('LOCKED')).toMatchObject({ color: 'blue', is_locked: true, entity_count: 1 });
      expect(pick('TRUECOLOR')).toMatchObject({
        color: '#123456',
        color_number: 30,
        entity_count: 0,
      });
      expect(pick('0')).toMatchObject({ color: 'white', entity_count: 21 });
    });

    it('lists blocks with insert counts, base points, first-insert attributes and entity counts', () => {
      const blocks = r.blocks as DxfBlock[];
      expect(blocks.map((b) => b.name)).toEqual([
        'TITLEBLOCK_A3',
        'BALLOON',
        'SELF',
        'LOOP_A',
        'LOOP_B',
        'LEAF',
        'TWO_LEAVES',
      ]);
      const balloon = blocks[1];
      expect(balloon).toMatchObject({ insert_count: 2, base_point: [1, 2, 0], entity_count: 2 });
      expect(balloon.attributes).toEqual([
        { tag: 'ITEM', value: '1' },
        { tag: 'PART_NO', value: 'B-1' },
        { tag: 'DESCRIPTION', value: 'Bolt M8' },
        { tag: 'QTY', value: '4' },
      ]);
      const leaf = blocks.find((b) => b.name === 'LEAF');
      expect(leaf).toMatchObject({
        insert_count: 0,
        nested_insert_count: 2,
        expanded_entity_count: 2,
      });
      const two = blocks.find((b) => b.name === 'TWO_LEAVES');
      expect(two).toMatchObject({ insert_count: 2, expanded_entity_count: 5, nesting_depth: 1 });
    });

    it('detects self-inserting blocks without looping', () => {
      const blocks = r.blocks as DxfBlock[];
      for (const name of ['SELF', 'LOOP_A', 'LOOP_B']) {
        expect(blocks.find((b) => b.name === name)).toMatchObject({
          is_recursive: true,
          expanded_entity_count: null,
        });
      }
      expect(r.warnings).toContain(
        'Block "SELF" inserts itself (directly or through other blocks): not expanded',
      );
    });

    it('returns TEXT and MTEXT as plain text with height and position', () => {
      const plain = r.text_blocks.filter((t) => t.kind !== 'ATTRIB');
      expect(plain[0]).toEqual({
        text: 'Ø25 ±0.1 45°',
        height: 2.5,
        position: [50, 50, 0],
        layer: '0',
        rotation: 30,
        kind: 'TEXT',
      });
      expect(plain[1].text).toBe('Bold\nSecond line big red Under\n1/2 inch');
      expect(plain[1].height).toBe(3.5);
      expect(plain[2].text).toBe(`${'A'.repeat(300)}\nEnd`);
      expect(plain[3].text).toBe('Paper note');
    });

    it('reads the title block from the title-block insert attributes', () => {
      expect(r.title_block).toEqual({
        drawing_number: 'A-100-01',
        title: 'Pump housing',
        revision: 'C',
        date: '2024-01-15',
        author: 'J. Doe',
        company: 'ACME',
        scale: '1:5',
        sheet: null,
        material: 'EN-GJL-250',
        finish: null,
        custom_fields: { PROJECT: 'P-77' },
        confidence: 0.98,
      });
    });

    it('builds a BOM from part-number attributes, leaving the title block out', () => {
      expect(r.bom?.total_items).toBe(2);
      expect(r.bom?.headers).toEqual(['ITEM', 'PART_NO', 'DESCRIPTION', 'QTY', 'FINISH']);
      expect(r.bom?.items[1]).toMatchObject({
        item_id: '2',
        part_number: 'W-8',
        description: 'Washer',
        quantity: 8,
        level: 1,
        block: 'BALLOON',
        finish: 'zinc',
      });
    });

    it('summarises model-space geometry only', () => {
      expect(r.geometry_summary).toEqual({
        lines: 2,
        circles: 1,
        arcs: 1,
        polylines: 2,
        splines: 1,
        ellipses: 1,
        points: 1,
        hatches: 1,
        solids: 2,
        meshes: 3,
        total_entities: 25,
      });
      expect(r.metadata.paper_space_entities).toBe(2);
      expect((r.metadata.entity_counts as Record<string, number>).LEADER).toBe(1);
    });

    it('returns entities on request, POLYLINE with its vertices', () => {
      expect(r.entities).toHaveLength(27);
      const poly = r.entities.find((e) => e.type === 'POLYLINE');
      expect(poly).toMatchObject({
        vertices: [
          [0, 0, 0],
          [1, 1, 1],
        ],
        space: 'model',
      });
      expect(r.entities.find((e) => e.type === 'LEADER')).toMatchObject({
        vertices: [
          [0, 0, 0],
          [5, 5, 0],
        ],
      });
    });
  });

  describe('options', () => {
    it('returns disabled sections empty and no entities unless asked', async () => {
      const r = await extract(featuresDrawing(), {
        extract_layers: false,
        extract_blocks: false,
        extract_dimensions: false,
        extract_text: false,
        extract_title_block: false,
        extract_geometry: false,
      });
      expect(r.layers).toEqual([]);
      expect(r.blocks).toEqual([]);
      expect(r.dimensions).toEqual([]);
      expect(r.text_blocks).toEqual([]);
      expect(r.title_block).toBeNull();
      expect(r.geometry_summary.total_entities).toBe(0);
      expect(r.entities).toEqual([]);
      expect(r.bom?.total_items).toBe(2);
    });

    it('caps entities with a warning', async () => {
      const r = await extract(featuresDrawing(), { extract_entities: true, max_entities: 3 });
      expect(r.entities.map((e) => e.type)).toEqual(['LINE', 'LINE', 'CIRCLE']);
      expect(r.warnings).toContain(
        'Only the first 3 entities are returned (24 more): raise max_entities',
      );
    });

    it('rejects an invalid max_entities', async () => {
      await expect(extract(featuresDrawing(), { max_entities: -1 })).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
      });
      await expect(extract(featuresDrawing(), { extract_text: 'maybe' })).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
      });
    });
  });

  it('reads a title block from label/value texts in the bottom-right of the border', async () => {
    const r = await extract(textTitleBlockDrawing());
    expect(r.title_block).toMatchObject({
      drawing_number: 'GB-2024-17',
      title: 'GEARBOX COVER',
      revision: 'D',
      scale: '1:1',
      date: null,
    });
    expect(r.title_block?.confidence).toBeCloseTo(0.62, 5);
  });

  it('decodes pre-2007 text with the declared code page', async () => {
    const latin = await extract(codePageDrawing('ANSI_1252', 'Größe Ø25 ±0,1 µm'));
    expect(latin.text_blocks[0].text).toBe('Größe Ø25 ±0,1 µm');
    expect(latin.metadata).toMatchObject({ release: 'R2000', text_encoding: 'windows-1252' });
    const cyr = await extract(codePageDrawing('ANSI_1251', 'Чертёж детали'));
    expect(cyr.text_blocks[0].text).toBe('Чертёж детали');
    expect(cyr.metadata.text_encoding).toBe('windows-1251');
  });

  it('reads UTF-8 text in a pre-2007 file as UTF-8, with a warning', async () => {
    const content = Buffer.from(
      codePageDrawing('ANSI_1252', 'X').toString('latin1').replace('\nX\n', '\nØ 25 µm\n'),
      'utf8',
    );
    const r = await extract(content);
    expect(r.text_blocks[0].text).toBe('Ø 25 µm');
    expect(r.warnings).toContain(
      'Some strings are UTF-8 although the file declares code page ANSI_1252: read as UTF-8',
    );
  });

  it('reads binary DXF with the same result as ASCII DXF', async () => {
    const spec = featuresSpec();
    const ascii = await extract(dxfText(spec), { extract_entities: true });
    const binary = await extract(dxfBinary(spec), { extract_entities: true });
    const strip = (r: CadExtractionResult) => ({
      ...r,
      metadata: { ...r.metadata, file_size: 0, parse_time_ms: 0, format: '' },
    });
    expect(binary.metadata.format).toBe('binary');
    expect(ascii.metadata.format).toBe('ascii');
    expect(strip(binary)).toEqual(strip(ascii));
    expect(binary.title_block?.drawing_number).toBe('A-100-01');
  });

  it.each(['\r\n', '\r'] as const)('reads line ends %j with the same result as LF', async (eol) => {
    const spec = featuresSpec();
    const lf = await extract(dxfText(spec), { extract_entities: true });
    const other = await extract(dxfTextWithLineEnds(spec, eol), { extract_entities: true });
    const strip = (r: CadExtractionResult) => ({
      ...r,
      metadata: { ...r.metadata, file_size: 0, parse_time_ms: 0 },
    });
    expect(other.success).toBe(true);
    expect(other.title_block?.drawing_number).toBe('A-100-01');
    expect(strip(other)).toEqual(strip(lf));
  });

  it('reports progress as bytes read, ending at 100', async () => {
    const progress: ProgressUpdate[] = [];
    await extract(featuresDrawing(), {}, progress);
    expect(progress[0].progress).toBe(0);
    expect(progress[progress.length - 1].progress).toBe(100);
  });
});
