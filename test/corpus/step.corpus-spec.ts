/**
 * The shared STEP corpus (../shared/fixtures/step: CAx-IF models and FreeCAD exports): every file
 * parses, the README's known values hold. Volumes come from the tessellated mesh, so curved
 * parts are compared within a stated relative error (MESH_TOLERANCE); planar parts are exact.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { walkParts } from '../../src/extraction/extractors/step/step-assembly';
import { stepExtractor } from '../../src/extraction/extractors/step/step.extractor';
import { StepExtractionResult, StepPart } from '../../src/extraction/extractors/step/step-types';
import { extractionErrorCode } from '../support/extraction-outcome';
import { describeWithInput } from '../support/required-input';

const dir = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'step');
const present = existsSync(dir);
const d = describeWithInput(dir, 'the shared STEP corpus');

/** Relative error allowed between mesh-based and exact B-rep volumes (default tessellation). */
const MESH_TOLERANCE = 1e-3;

function expectWithin(actual: number | null | undefined, exact: number, relative: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - exact) / exact).toBeLessThan(relative);
}

function solids(result: StepExtractionResult): StepPart[] {
  const out: StepPart[] = [];
  walkParts(result.assembly?.parts ?? [], (p) => {
    if (p.shape_type === 'solid') out.push(p);
  });
  return out;
}

d('STEP corpus (../shared/fixtures/step)', () => {
  const files = present
    ? readdirSync(dir)
        .filter((f) => /\.(stp|step)$/i.test(f))
        .sort()
    : [];
  const results = new Map<string, StepExtractionResult>();

  beforeAll(async () => {
    for (const file of files) {
      results.set(
        file,
        await stepExtractor.extract({
          filePath: join(dir, file),
          filename: file,
          options: {},
          onProgress: () => undefined,
          signal: new AbortController().signal,
        }),
      );
    }
  }, 120000);

  it('parses all 6 files with geometry and no warnings', () => {
    expect(files).toHaveLength(6);
    for (const file of files) {
      const r = results.get(file) as StepExtractionResult;
      expect({
        file,
        success: r.success,
        warnings: r.warnings,
        kernel: r.metadata.geometry_kernel !== null,
      }).toEqual({ file, success: true, warnings: [], kernel: true });
      expect(r.total_volume).toBeGreaterThan(0);
    }
  });

  it('cube.step is one part "Cube": 6 faces, volume 1000, area 600, box 0..10', () => {
    const r = results.get('cube.step') as StepExtractionResult;
    expect(r.assembly?.name).toBe('Cube');
    expect(r.assembly?.total_parts).toBe(1);
    expect(r.assembly?.parts).toEqual([
      expect.objectContaining({ name: 'Cube', shape_type: 'solid', num_faces: 6 }),
    ]);
    expect(r.total_volume).toBeCloseTo(1000, 6);
    expect(r.total_surface_area).toBeCloseTo(600, 6);
    expect(r.overall_bbox).toEqual({ min: [0, 0, 0], max: [10, 10, 10] });
    expect(r.metadata.units).toMatchObject({ file_length_unit: 'MILLIMETRE', length: 'mm' });
    expect(r.metadata.originating_system).toBe('FreeCAD');
  });

  it(`rounded-cube.step has 7 faces and a volume within ${MESH_TOLERANCE * 100}% of 946.35`, () => {
    const r = results.get('rounded-cube.step') as StepExtractionResult;
    expect(solids(r).map((p) => p.num_faces)).toEqual([7]);
    expectWithin(r.total_volume, 946.35, MESH_TOLERANCE);
    expect(r.overall_bbox).toEqual({ min: [0, 0, 0], max: [10, 10, 10] });
  });

  it('as1-oc-214.stp is assembly "as1": 18 solids, its sub-assemblies and parts, 160 faces', () => {
    const r = results.get('as1-oc-214.stp') as StepExtractionResult;
    expect(r.assembly?.name).toBe('as1');
    expect(r.assembly?.total_parts).toBe(18);
    expect(r.assembly?.parts.map((p) => p.name)).toEqual([
      'rod-assembly',
      'l-bracket-assembly',
      'plate',
      'l-bracket-assembly',
    ]);
    const names = solids(r).map((p) => p.name);
    expect(names).toHaveLength(18);
    expect([...new Set(names)].sort()).toEqual(['bolt', 'l-bracket', 'nut', 'plate', 'rod']);
    expect(r.shape_counts).toMatchObject({
      solids: 18,
      faces: 160,
      assemblies: 3,
      unique_parts: 5,
    });
    expect(r.metadata.products).toEqual(
      expect.arrayContaining([
        'as1',
        'rod-assembly',
        'l-bracket-assembly',
        'nut',
        'rod',
        'bolt',
        'plate',
        'l-bracket',
      ]),
    );
    expectWithin(r.total_volume, 764500, MESH_TOLERANCE);
  });

  it('as1-oc-214.stp gives a BOM with repeated occurrences counted per parent', () => {
    const r = results.get('as1-oc-214.stp') as StepExtractionResult;
    expect(
      r.bom?.items.map((i) => [i.item_id, i.part_number, i.quantity, i.parent_id, i.level]),
    ).toEqual([
      ['1', 'as1', 1, null, 0],
      ['1.1', 'rod-assembly', 1, '1', 1],
      ['1.1.1', 'nut', 2, '1.1', 2],
      ['1.1.2', 'rod', 1, '1.1', 2],
      ['1.2', 'l-bracket-assembly', 2, '1', 1],
      ['1.2.1', 'bolt', 3, '1.2', 2],
      ['1.2.2', 'nut', 3, '1.2', 2],
      ['1.2.3', 'l-bracket', 1, '1.2', 2],
      ['1.3', 'plate', 1, '1', 1],
    ]);
    expect(r.bom?.hierarchy_level).toBe(3);
  });

  it('as1_pe_203.stp (AP203, inch) has the same 18 solids and 160 faces', () => {
    const r = results.get('as1_pe_203.stp') as StepExtractionResult;
    expect(r.assembly?.name).toBe('AS1_PE_ASM');
    expect(r.assembly?.total_parts).toBe(18);
    expect(r.shape_counts).toMatchObject({ solids: 18, faces: 160 });
    expect(r.metadata.units).toMatchObject({ file_length_unit: 'INCH', length: 'in' });
    expect(r.metadata.schema).toBe(
      'AP203_CONFIGURATION_CONTROLLED_3D_DESIGN_OF_MECHANICAL_PARTS_AND_ASSEMBLIES_MIM_LF',
    );
  });

  it('dm1-id-214.stp has its bracket, 3 bolts and 3 nuts', () => {
    const r = results.get('dm1-id-214.stp') as StepExtractionResult;
    expect(r.assembly?.name).toBe('dm1');
    expect(
      solids(r)
        .map((p) => p.name)
        .sort(),
    ).toEqual(['bolt', 'bolt', 'bolt', 'l-bracket', 'nut', 'nut', 'nut']);
    expect(r.shape_counts).toMatchObject({ solids: 7, faces: 48 });
    // materials come from MAKE_FROM_USAGE_OPTION links to raw-material products
    expect(Object.fromEntries(solids(r).map((p) => [p.name, p.material]))).toEqual({
      'l-bracket': 'Titanium 6-4',
      bolt: 'Greek Ascoloy',
      nut: 'Inconel 718',
    });
  });

  it('cube-mm.step is a 1000 mm cube named "Cube" inside "Part"', () => {
    const r = results.get('cube-mm.step') as StepExtractionResult;
    expect(r.assembly?.name).toBe('Part');
    expect(r.assembly?.parts.map((p) => p.name)).toEqual(['Cube']);
    expect(r.total_volume).toBeCloseTo(1e9, 0);
    expect(r.overall_bbox).toEqual({ min: [0, 0, 0], max: [1000, 1000, 1000] });
  });

  it('answers truncated copies and the IFC corpus renamed .step with clear errors', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'step-corpus-bad-'));
    try {
      for (const file of files) {
        const bytes = readFileSync(join(dir, file));
        const cut = join(tmp, file);
        writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
        expect({ file, code: await codeOf(cut) }).toEqual({ file, code: 'CORRUPT_FILE' });
      }
      const ifcDir = resolve(dir, '..', 'ifc');
      for (const file of readdirSync(ifcDir).slice(0, 5)) {
        const renamed = join(tmp, `${file}.step`);
        writeFileSync(renamed, readFileSync(join(ifcDir, file)));
        expect({ file, code: await codeOf(renamed) }).toEqual({ file, code: 'UNSUPPORTED_FORMAT' });
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

const codeOf = (filePath: string) => extractionErrorCode(stepExtractor, filePath, 'bad.step');
