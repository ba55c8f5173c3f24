/**
 * The shared DXF corpus (../shared/fixtures/dxf, 48 files written by ezdxf): every file parses, the
 * README's known values hold, and entity counts agree with an independent raw group-code scan.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CadExtractionResult } from '../../src/extraction/extractors/cad-result';
import { DxfBlock } from '../../src/extraction/extractors/dxf/dxf-blocks';
import { dxfExtractor } from '../../src/extraction/extractors/dxf/dxf.extractor';
import { describeWithInput } from '../support/required-input';

const dir = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'dxf');
const present = existsSync(dir);
const d = describeWithInput(dir, 'the shared DXF corpus');

/** Independent raw scan: entity types in the ENTITIES section (sub-entities left out). */
function rawEntityCounts(file: string): Record<string, number> {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const counts: Record<string, number> = {};
  let inEntities = false;
  for (let i = 0; i + 1 < lines.length; i += 2) {
    if (lines[i].trim() !== '0') continue;
    const v = lines[i + 1].trim();
    if (v === 'SECTION') inEntities = lines[i + 3]?.trim() === 'ENTITIES';
    else if (v === 'ENDSEC') inEntities = false;
    else if (inEntities && !['VERTEX', 'SEQEND', 'ATTRIB'].includes(v))
      counts[v] = (counts[v] ?? 0) + 1;
  }
  return counts;
}

/** Dimension values derived by hand from each file's definition points (raw scan). */
const DIMENSIONS: Record<string, string[]> = {
  architectural_floor_plan: ['linear 800'],
  baseline_dimensions: ['linear 10', 'linear 25', 'linear 40', 'linear 50'],
  concentric_circles: ['diameter 50'],
  dimension_chain: ['linear 15', 'linear 20', 'linear 15', 'linear 20'],
  dimension_tolerance: ['linear 50'],
  dimensions_various: ['linear 10', 'linear 5', 'radius 2', 'diameter 3'],
  dxf_r2013_version: ['linear 10'],
  dxf_r2018_version: ['diameter 16'],
  linear_dimensions_only: ['linear 20', 'linear 20', 'linear 10', 'linear 10'],
  mechanical_part_detailed: [
    'diameter 4',
    'diameter 4',
    'diameter 4',
    'diameter 4',
    'linear 60',
    'linear 20',
  ],
  multi_layer_complex: ['linear 40'],
  radial_dimensions_only: ['radius 3', 'diameter 10', 'radius 2.5', 'diameter 8'],
};

d('DXF corpus (shared/fixtures/dxf)', () => {
  const files = present
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.dxf'))
        .sort()
    : [];
  const results = new Map<string, CadExtractionResult>();

  beforeAll(async () => {
    for (const f of files) {
      const r = await dxfExtractor.extract({
        filePath: join(dir, f),
        filename: f,
        options: {},
        onProgress: () => {},
        signal: new AbortController().signal,
      });
      results.set(f.replace(/\.dxf$/, ''), r);
    }
  });
  const get = (name: string): CadExtractionResult => results.get(name) as CadExtractionResult;

  it('parses all 48 files successfully, with versions AC1024 / AC1027 / AC1032', () => {
    expect(files).toHaveLength(48);
    for (const [name, r] of results) {
      expect([name, r.success, r.errors]).toEqual([name, true, []]);
      const version =
        name === 'dxf_r2013_version'
          ? 'AC1027'
          : name === 'dxf_r2018_version'
            ? 'AC1032'
            : 'AC1024';
      expect([name, r.metadata.dxf_version]).toEqual([name, version]);
    }
    expect(get('dxf_r2013_version').metadata.release).toBe('R2013');
    expect(get('dxf_r2018_version').metadata.release).toBe('R2018');
  });

  it('counts the same entities as a raw group-code scan', () => {
    for (const f of files) {
      const r = get(f.replace(/\.dxf$/, ''));
      expect([f, r.metadata.entity_counts]).toEqual([f, rawEntityCounts(join(dir, f))]);
    }
  });

  it('computes every dimension value from the definition points', () => {
    for (const [name, r] of results) {
      const got = r.dimensions.map((x) => `${x.dimension_type} ${x.value}`);
      expect([name, got]).toEqual([name, DIMENSIONS[name] ?? []]);
    }
    // ezdxf writes $INSUNITS 6: every linear dimension is in metres.
    expect(get('radial_dimensions_only').dimensions.map((x) => x.unit)).toEqual([
      'm',
      'm',
      'm',
      'm',
    ]);
  });

  it('reads block attributes and insert counts of blocks_with_attributes', () => {
    const part = (get('blocks_with_attributes').blocks as DxfBlock[]).find(
      (b) => b.name === 'PART',
    );
    expect(part?.insert_count).toBe(3);
    expect(part?.attributes).toEqual([
      { tag: 'PART_NUMBER', value: 'P-101' },
      { tag: 'DESCRIPTION', value: 'Shaft' },
      { tag: 'MATERIAL', value: 'AISI 304' },
      { tag: 'QTY', value: '2' },
    ]);
    const bom = get('blocks_with_attributes').bom;
    expect(bom?.items.map((i) => [i.part_number, i.description, i.quantity, i.material])).toEqual([
      ['P-101', 'Shaft', 2, 'AISI 304'],
      ['P-102', 'Bearing', 4, 'Bronze'],
      ['P-103', 'Washer', 8, 'Steel'],
    ]);
  });

  it('reads nested_blocks', () => {
    const blocks = get('nested_blocks').blocks as DxfBlock[];
    expect(blocks.map((b) => [b.name, b.entity_count, b.base_point, b.insert_count])).toEqual([
      ['BOLT_HOLE', 1, [0, 0, 0], 0],
      ['BOLT_PATTERN', 5, [0, 0, 0], 2],
    ]);
    expect(blocks[0].nested_insert_count).toBe(4);
  });

  it('reads the texts of text_formatting, MTEXT as plain text', () => {
    const texts = get('text_formatting').text_blocks;
    expect(texts).toHaveLength(7);
    expect(texts.find((t) => t.text === 'Simple Text')?.height).toBe(1);
    expect(texts.find((t) => t.text === 'DRAWING TITLE')?.height).toBe(5);
    const m = texts.find((t) => t.kind === 'MTEXT');
    expect([m?.text, m?.height]).toEqual(['Multi-line text\nwith paragraph\nand formatting', 1.5]);
    expect(get('mtext_advanced').text_blocks.map((t) => t.text)).toEqual([
      'BOLD AND ITALIC\nRegular text\nRed text',
      'Special: ± (±) Ø (Ø) ° (°)',
      'Line 1\nLine 2\nLine 3\nLine 4',
    ]);
  });

  it('reads simple_drawing: metres, two layers, one line, circle and text', () => {
    const r = get('simple_drawing');
    expect(r.metadata).toMatchObject({ insunits: 6, units: 'm', units_name: 'meters' });
    expect(r.layers.map((l) => l.name)).toEqual(['0', 'Defpoints']);
    expect(r.geometry_summary).toMatchObject({ lines: 1, circles: 1, total_entities: 3 });
    expect(r.text_blocks.map((t) => t.kind)).toEqual(['TEXT']);
  });

  it('counts hatches, leaders, polylines and 3D faces where the README lists them', () => {
    expect(get('hatching_patterns').geometry_summary.hatches).toBe(2);
    const leaders = (n: string) => (get(n).metadata.entity_counts as Record<string, number>).LEADER;
    expect([
      leaders('assembly_drawing'),
      leaders('leader_annotations'),
      leaders('threaded_hole_callout'),
    ]).toEqual([2, 2, 3]);
    expect(get('3d_entities').geometry_summary).toMatchObject({
      polylines: 1,
      meshes: 1,
      lines: 1,
    });
    expect(get('polyline_variations').geometry_summary.polylines).toBe(4);
    expect(get('empty_drawing').geometry_summary.total_entities).toBe(0);
  });

  it('finds the title block of title_block_standard from its texts', () => {
    expect(get('title_block_standard').title_block).toMatchObject({
      drawing_number: 'DRW-2024-001',
      title: 'MECHANICAL ASSEMBLY',
      revision: 'B',
      date: '2024-01-15',
      scale: '1:2',
    });
  });
});
