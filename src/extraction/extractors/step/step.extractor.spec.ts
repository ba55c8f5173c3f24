import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { writeBadStepInputs } from '../../../../test/fixtures/step/bad-step-inputs';
import {
  ASSEMBLY_EXPECTED,
  writeAssemblyStep,
} from '../../../../test/fixtures/step/step-assembly-fixture';
import {
  BOX_EXPECTED,
  PRODUCTS_ONLY_EXPECTED,
  writeBoxStep,
  writeProductsOnlyStep,
} from '../../../../test/fixtures/step/step-fixtures';
import { ExtractionError } from '../extraction-error';
import { ExtractorOptions, ProgressUpdate } from '../extractor';
import { stepExtractor } from './step.extractor';
import { StepExtractionResult } from './step-types';

let dir: string;
let boxPath: string;
let productsPath: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'step-extractor-'));
  boxPath = writeBoxStep(dir);
  productsPath = writeProductsOnlyStep(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(
  filePath: string,
  options: ExtractorOptions = {},
  progress: ProgressUpdate[] = [],
  signal = new AbortController().signal,
): Promise<StepExtractionResult> {
  return stepExtractor.extract({
    filePath,
    filename: 'part.step',
    options,
    onProgress: (u) => progress.push(u),
    signal,
  });
}

describe('stepExtractor on a generated B-rep box', () => {
  let result: StepExtractionResult;
  beforeAll(async () => {
    result = await run(boxPath);
  });

  it('reads the header with our own reader', () => {
    expect(result.success).toBe(true);
    expect(result.metadata).toMatchObject({
      schema: 'AUTOMOTIVE_DESIGN { 1 0 10303 214 1 1 1 1 }',
      author: [BOX_EXPECTED.author],
      organization: [BOX_EXPECTED.organization],
      originating_system: BOX_EXPECTED.originating_system,
      timestamp: BOX_EXPECTED.timestamp,
      products: [BOX_EXPECTED.name],
      units: {
        file_length_unit: 'MILLIMETRE',
        length: 'mm',
        area: 'mm2',
        volume: 'mm3',
        angle: 'RADIAN',
      },
    });
    expect(result.warnings).toEqual([]);
  });

  it('gives one part with exact mass properties (planar faces tessellate exactly)', () => {
    expect(result.assembly?.name).toBe(BOX_EXPECTED.name);
    expect(result.assembly?.total_parts).toBe(1);
    expect(result.assembly?.root_parts).toBe(1);
    const part = result.assembly?.parts[0];
    expect(part).toMatchObject({
      name: BOX_EXPECTED.name,
      part_id: '1',
      shape_type: 'solid',
      material: BOX_EXPECTED.material,
      num_faces: 6,
      children: [],
    });
    expect(part?.volume).toBeCloseTo(BOX_EXPECTED.volume, 6);
    expect(part?.surface_area).toBeCloseTo(BOX_EXPECTED.surface_area, 6);
    expect(part?.center_of_mass?.map((v) => Number(v.toFixed(6)))).toEqual(
      BOX_EXPECTED.center_of_mass,
    );
    expect(part?.bbox).toEqual(BOX_EXPECTED.bbox);
    expect(result.total_volume).toBeCloseTo(BOX_EXPECTED.volume, 6);
    expect(result.total_surface_area).toBeCloseTo(BOX_EXPECTED.surface_area, 6);
    expect(result.overall_bbox).toEqual(BOX_EXPECTED.bbox);
  });

  it('counts shapes from the kernel and from the file text', () => {
    expect(result.shape_counts).toEqual({
      assemblies: 0,
      solids: 1,
      unique_parts: 1,
      faces: 6,
      triangles: 12,
      file_entities: {
        MANIFOLD_SOLID_BREP: 1,
        BREP_WITH_VOIDS: 0,
        CLOSED_SHELL: 1,
        OPEN_SHELL: 0,
        SHELL_BASED_SURFACE_MODEL: 0,
        ADVANCED_FACE: 6,
        FACE_SURFACE: 0,
        EDGE_CURVE: 12,
        VERTEX_POINT: 8,
      },
    });
    expect(result.geometry_summary.solids).toBe(1);
  });

  it('gives a one-line BOM for a single part', () => {
    expect(result.bom?.items).toEqual([
      {
        item_id: '1',
        part_number: BOX_EXPECTED.name,
        description: 'part',
        quantity: 1,
        material: BOX_EXPECTED.material,
        revision: null,
        parent_id: null,
        level: 0,
      },
    ]);
  });
});

describe('stepExtractor on a generated assembly with repeated instances', () => {
  let result: StepExtractionResult;
  beforeAll(async () => {
    result = await run(writeAssemblyStep(dir));
  });

  it('places every instance and names it after its product', () => {
    expect(result.warnings).toEqual([]);
    expect(result.assembly?.name).toBe(ASSEMBLY_EXPECTED.name);
    expect(result.assembly?.total_parts).toBe(ASSEMBLY_EXPECTED.total_parts);
    expect(result.assembly?.parts.map((p) => p.name).sort()).toEqual(ASSEMBLY_EXPECTED.part_names);
    expect(
      result.assembly?.parts
        .filter((p) => p.name === 'Block')
        .map((p) => p.bbox?.min[0])
        .sort((a, b) => (a ?? 0) - (b ?? 0)),
    ).toEqual([0, 20, 40]);
    expect(result.total_volume).toBeCloseTo(ASSEMBLY_EXPECTED.total_volume, 6);
    expect(result.total_surface_area).toBeCloseTo(ASSEMBLY_EXPECTED.total_surface_area, 6);
    expect(result.overall_bbox).toEqual(ASSEMBLY_EXPECTED.overall_bbox);
  });

  it('counts the three identical blocks as one BOM line of quantity 3', () => {
    expect(
      result.bom?.items.map((i) => [i.item_id, i.part_number, i.quantity, i.parent_id, i.level]),
    ).toEqual(ASSEMBLY_EXPECTED.bom);
  });
});

describe('stepExtractor on encoding variants', () => {
  it('reads a file with a UTF-8 byte-order mark and CRLF line ends', async () => {
    const text = readFileSync(boxPath, 'latin1').replace(/\n/g, '\r\n');
    const variant = join(dir, 'bom-crlf.step');
    writeFileSync(
      variant,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'latin1')]),
    );
    const result = await run(variant);
    expect(result.warnings).toEqual([]);
    expect(result.total_volume).toBeCloseTo(BOX_EXPECTED.volume, 6);
    expect(result.metadata.products).toEqual([BOX_EXPECTED.name]);
  });
});

describe('stepExtractor options', () => {
  it('skips volumes, areas and shape counts when switched off', async () => {
    const result = await run(boxPath, {
      calculate_volumes: false,
      calculate_areas: false,
      count_shapes: false,
    });
    expect(result.total_volume).toBeNull();
    expect(result.total_surface_area).toBeNull();
    expect(result.shape_counts).toEqual({});
    expect(result.assembly?.parts[0]).toMatchObject({
      volume: null,
      surface_area: null,
      center_of_mass: null,
      num_faces: 6,
    });
  });

  it('tessellates finer only when volumes or areas are asked for, and says which it used', async () => {
    expect((await run(boxPath)).metadata.tessellation).toEqual({
      linear_deflection: 0.0002,
      linear_deflection_type: 'bounding_box_ratio',
      angular_deflection: 0.1,
    });
    const bare = await run(boxPath, { calculate_volumes: false, calculate_areas: false });
    expect(bare.metadata.tessellation).toEqual({
      linear_deflection: 0.001,
      linear_deflection_type: 'bounding_box_ratio',
      angular_deflection: 0.5,
    });
  });

  it('drops the assembly when neither assembly nor parts are wanted', async () => {
    const result = await run(boxPath, { extract_assembly: false, extract_parts: false });
    expect(result.assembly).toBeNull();
    expect(result.bom).toBeNull();
    expect(result.total_volume).toBeCloseTo(BOX_EXPECTED.volume, 6);
  });

  it('rejects a flag that is not a boolean', async () => {
    await expect(run(boxPath, { count_shapes: 'yes' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });

  it('reports progress to 100 and honours an aborted signal', async () => {
    const progress: ProgressUpdate[] = [];
    await run(boxPath, {}, progress);
    expect(progress.map((p) => p.progress)).toEqual([0, 30, 80, 100]);
    const controller = new AbortController();
    controller.abort();
    await expect(run(boxPath, {}, [], controller.signal)).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});

describe('stepExtractor without readable geometry', () => {
  it('still answers from its own reader, with a warning', async () => {
    const result = await run(productsPath);
    expect(result.success).toBe(true);
    expect(result.warnings).toEqual([
      'The geometry kernel (OpenCASCADE) could not read this file; only header, entity counts and product names are given',
    ]);
    expect(result.metadata.products).toEqual(PRODUCTS_ONLY_EXPECTED.products);
    expect(result.metadata.entity_counts).toEqual(PRODUCTS_ONLY_EXPECTED.entity_counts);
    expect(result.metadata.total_entities).toBe(PRODUCTS_ONLY_EXPECTED.total_entities);
    expect(result.metadata).toMatchObject({
      author: [PRODUCTS_ONLY_EXPECTED.author],
      organization: [PRODUCTS_ONLY_EXPECTED.organization],
      originating_system: PRODUCTS_ONLY_EXPECTED.originating_system,
      units: expect.objectContaining({
        file_length_unit: PRODUCTS_ONLY_EXPECTED.length_unit,
        length: 'in',
      }),
    });
    expect(result.assembly?.parts.map((p) => [p.name, p.shape_type, p.volume])).toEqual(
      PRODUCTS_ONLY_EXPECTED.products.map((n) => [n, 'product', null]),
    );
    expect(result.total_volume).toBeNull();
    expect(result.overall_bbox).toBeNull();
    expect(result.bom).toBeNull(); // unrelated products are no bill of materials
  });
});

describe('stepExtractor on bad input', () => {
  it('answers every damaged or mislabelled file with a clear ExtractionError', async () => {
    const inputs = writeBadStepInputs(mkdtempSync(join(dir, 'bad-')));
    expect(inputs.length).toBeGreaterThanOrEqual(8);
    for (const input of inputs) {
      const error = await run(input.path).then(
        () => null,
        (err: unknown) => err,
      );
      expect({ name: input.name, isExtractionError: error instanceof ExtractionError }).toEqual({
        name: input.name,
        isExtractionError: true,
      });
      expect({ name: input.name, code: (error as ExtractionError).code }).toEqual({
        name: input.name,
        code: input.code,
      });
      expect((error as ExtractionError).message).toMatch(input.message);
    }
  });

  it('keeps answering when the geometry in the middle is damaged', async () => {
    const text = readFileSync(boxPath, 'latin1');
    const damaged = join(dir, 'damaged.step');
    writeFileSync(
      damaged,
      text.replace(/#40=[^;]*;/, "#40=ADVANCED_FACE('',(#999999),#888888,.T.);"),
      'latin1',
    );
    const result = await run(damaged);
    expect(result.success).toBe(true);
    expect(result.metadata.products).toEqual([BOX_EXPECTED.name]);
    // #40 became a seventh, unreadable ADVANCED_FACE: never silent
    expect(result.warnings).toEqual([
      expect.stringMatching(/^The geometry kernel read 6 of the 7 faces the file defines/),
    ]);
    const again = await run(boxPath);
    expect(again.total_volume).toBeCloseTo(BOX_EXPECTED.volume, 6);
  });
});
