import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { writeBadIfcInputs } from '../../../../test/fixtures/ifc/bad-ifc-inputs';
import {
  IFC4_SAMPLE_EXPECTED,
  writeIfc4Sample,
} from '../../../../test/fixtures/ifc/sample-building';
import {
  IFC2X3_SAMPLE_EXPECTED,
  writeIfc2x3Sample,
} from '../../../../test/fixtures/ifc/sample-ifc2x3';
import { ExtractionError } from '../extraction-error';
import { ExtractorOptions, ProgressUpdate } from '../extractor';
import { ifcExtractor } from './ifc.extractor';
import { IfcExtractionResult } from './ifc-types';

let dir: string;
let ifc4Path: string;
let ifc2x3Path: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ifc-extractor-'));
  ifc4Path = writeIfc4Sample(dir);
  ifc2x3Path = writeIfc2x3Sample(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(
  filePath: string,
  options: ExtractorOptions = {},
  progress: ProgressUpdate[] = [],
  signal = new AbortController().signal,
): Promise<IfcExtractionResult> {
  return ifcExtractor.extract({
    filePath,
    filename: 'model.ifc',
    options,
    onProgress: (u) => progress.push(u),
    signal,
  });
}

function byName(result: IfcExtractionResult, name: string) {
  const element = result.elements.find((e) => e.name === name);
  if (!element) throw new Error(`no element named ${name}`);
  return element;
}

describe('ifcExtractor on a generated IFC4 building', () => {
  let result: IfcExtractionResult;
  beforeAll(async () => {
    result = await run(ifc4Path);
  });

  it('reports schema, project name and project units', () => {
    expect(result.success).toBe(true);
    expect(result.source_type).toBe('ifc');
    expect(result.metadata.schema).toBe(IFC4_SAMPLE_EXPECTED.schema);
    expect(result.metadata.project_name).toBe(IFC4_SAMPLE_EXPECTED.project_name);
    expect(result.metadata.units).toEqual(IFC4_SAMPLE_EXPECTED.units);
    expect(result.metadata.author).toEqual(['Fixture Author']);
    expect(result.warnings).toEqual([]);
  });

  it('counts building elements by class and leaves openings out', () => {
    expect(result.element_counts).toEqual(IFC4_SAMPLE_EXPECTED.element_counts);
    expect(result.elements).toHaveLength(15);
    expect(result.elements.some((e) => e.ifc_class === 'IfcOpeningElement')).toBe(false);
  });

  it('builds the spatial tree with storeys sorted by elevation and spaces under storeys', () => {
    const spatial = result.spatial_structure;
    expect(spatial?.project?.name).toBe('Fixture Project');
    expect(spatial?.sites.map((s) => s.name)).toEqual(['Fixture Site']);
    expect(spatial?.buildings).toEqual([
      expect.objectContaining({ name: 'Fixture Building', site: 'Fixture Site' }),
    ]);
    expect(spatial?.storeys.map((s) => ({ name: s.name, elevation: s.elevation }))).toEqual(
      IFC4_SAMPLE_EXPECTED.storeys,
    );
    expect(spatial?.storeys.map((s) => s.element_count)).toEqual([8, 7]);
    expect(spatial?.spaces.map((s) => ({ name: s.name, storey: s.storey }))).toEqual(
      IFC4_SAMPLE_EXPECTED.spaces,
    );
  });

  it('reads shared and own property sets with typed values', () => {
    expect(byName(result, 'Wall 1').properties).toEqual({
      Pset_WallCommon: {
        LoadBearing: true,
        FireRating: 'REI 90',
        ThermalTransmittance: 0.25,
        IsExternal: false,
      },
    });
    expect(byName(result, 'Wall 3').properties).toEqual({
      Pset_WallCommon: { LoadBearing: false, Status: ['NEW', 'TEMPORARY'] },
    });
    expect(result.property_sets).toEqual(IFC4_SAMPLE_EXPECTED.property_sets);
  });

  it('merges type property sets under the occurrence and lets the occurrence override', () => {
    expect(byName(result, 'Door 1').properties).toEqual({
      Pset_DoorCommon: { FireRating: 'EI30', IsExternal: false },
    });
    expect(byName(result, 'Door 2').properties).toEqual({
      Pset_DoorCommon: { FireRating: 'EI30', IsExternal: true },
    });
    expect(byName(result, 'Door 2').type_name).toBe('Single Door 900');
  });

  it('gives quantities with the project unit or their own unit', () => {
    expect(byName(result, 'Wall 1').quantities).toEqual({
      Qto_WallBaseQuantities: {
        Length: { value: 5000, unit: 'mm' },
        NetSideArea: { value: 14.5, unit: 'm2' },
        NetVolume: { value: 3.625, unit: 'm3' },
        Width: { value: 25, unit: 'cm' },
      },
    });
  });

  it('resolves materials from layer sets, plain materials and the type object', () => {
    expect(byName(result, 'Wall 1').materials).toEqual(['Concrete', 'Mineral Wool']);
    expect(byName(result, 'Wall 3').materials).toEqual(['Brick']);
    expect(byName(result, 'Door 1').materials).toEqual(['Oak']);
  });

  it('finds the storey of elements placed through an aggregate or nest', () => {
    expect(
      result.elements.filter((e) => e.ifc_class === 'IfcStairFlight').map((e) => e.storey),
    ).toEqual(['Level 0', 'Level 0']);
    expect(
      result.elements
        .filter((e) => e.ifc_class === 'IfcMember')
        .every((e) => e.storey === 'Level 1'),
    ).toBe(true);
  });

  it('lists type objects with their instance counts', () => {
    expect(result.type_objects).toEqual([
      expect.objectContaining({
        ifc_class: 'IfcDoorType',
        name: 'Single Door 900',
        predefined_type: 'DOOR',
        instance_count: 2,
        property_sets: ['Pset_DoorCommon'],
      }),
    ]);
  });

  it('builds a BOM from aggregation and nesting with counts of identical parts', () => {
    expect(
      result.bom?.items.map((i) => [
        i.item_id,
        i.part_number,
        i.description,
        i.quantity,
        i.parent_id,
        i.level,
      ]),
    ).toEqual([
      ['1', 'Main Stair', 'IfcStair', 1, null, 0],
      ['1.1', 'Flight', 'IfcStairFlight', 2, '1', 1],
      ['1.2', 'Handrail', 'IfcRailing', 1, '1', 1],
      ['2', 'Truss', 'IfcElementAssembly', 1, null, 0],
      ['2.1', 'Chord', 'IfcMember', 2, '2', 1],
      ['2.2', 'Diagonal', 'IfcMember', 3, '2', 1],
    ]);
    expect(result.bom?.total_items).toBe(6);
    expect(result.bom?.hierarchy_level).toBe(2);
    expect(result.bom?.is_flat).toBe(false);
  });
});

describe('ifcExtractor options', () => {
  it('filters element_types case-insensitively, including subclasses of abstract names', async () => {
    const doorsAndWalls = await run(ifc4Path, { element_types: ['ifcwall', 'IFCDOOR'] });
    expect(doorsAndWalls.element_counts).toEqual({ IfcDoor: 2, IfcWall: 3 });
    const fromText = await run(ifc4Path, { element_types: 'IfcMember, IfcStairFlight' });
    expect(fromText.element_counts).toEqual({ IfcMember: 5, IfcStairFlight: 2 });
    const built = await run(ifc2x3Path, { element_types: 'IfcBuildingElement' });
    expect(built.element_counts).toEqual(IFC2X3_SAMPLE_EXPECTED.element_counts);
  });

  it('rejects unknown class names with INVALID_OPTIONS naming them', async () => {
    await expect(run(ifc4Path, { element_types: ['IfcWall', 'IfcWidget'] })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('unknown IFC classes: IfcWidget'),
    });
    await expect(run(ifc4Path, { element_types: ['IfcSpace'] })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('not: IfcSpace'),
    });
    await expect(run(ifc4Path, { element_types: 42 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });

  it('leaves out properties, quantities, materials and the spatial tree when switched off', async () => {
    const result = await run(ifc4Path, {
      extract_properties: false,
      extract_quantities: 'false',
      extract_materials: false,
      extract_spatial: false,
    });
    expect(
      result.elements.every(
        (e) =>
          Object.keys(e.properties).length === 0 &&
          Object.keys(e.quantities).length === 0 &&
          e.materials.length === 0,
      ),
    ).toBe(true);
    expect(result.spatial_structure).toBeNull();
    expect(result.property_sets).toEqual([]);
    expect(byName(result, 'Wall 1').storey).toBe('Level 0');
  });

  it('rejects a non-boolean flag', async () => {
    await expect(run(ifc4Path, { extract_spatial: 'maybe' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });

  it('reports progress up to 100 and stops when aborted', async () => {
    const progress: ProgressUpdate[] = [];
    await run(ifc4Path, {}, progress);
    expect(progress[0].progress).toBe(0);
    expect(progress[progress.length - 1]).toEqual({ progress: 100, message: '15 elements' });
    const controller = new AbortController();
    controller.abort();
    await expect(run(ifc4Path, {}, [], controller.signal)).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});

describe('ifcExtractor on IFC2X3', () => {
  it('reads the older schema and says when units are absent', async () => {
    const result = await run(ifc2x3Path);
    expect(result.metadata.schema).toBe('IFC2X3');
    expect(result.metadata.project_name).toBe(IFC2X3_SAMPLE_EXPECTED.project_name);
    expect(result.metadata.units).toBeNull();
    expect(result.warnings).toEqual([
      'The file has no IfcUnitAssignment: units are not declared, values are given as written',
    ]);
    expect(result.element_counts).toEqual(IFC2X3_SAMPLE_EXPECTED.element_counts);
    expect(result.spatial_structure?.storeys.map((s) => s.elevation)).toEqual([-0.5]);
    expect(byName(result, 'Door A').materials).toEqual(['Steel']);
    expect(byName(result, 'Wall A').properties).toEqual({ Pset_WallCommon: { LoadBearing: true } });
  });
});

describe('ifcExtractor on encoding variants', () => {
  it('reads a file with a UTF-8 byte-order mark and CRLF line ends', async () => {
    const text = readFileSync(ifc4Path, 'latin1').replace(/\n/g, '\r\n');
    const variant = join(dir, 'bom-crlf.ifc');
    writeFileSync(
      variant,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'latin1')]),
    );
    const result = await run(variant);
    expect(result.element_counts).toEqual(IFC4_SAMPLE_EXPECTED.element_counts);
    expect(result.metadata.project_name).toBe(IFC4_SAMPLE_EXPECTED.project_name);
  });
});

describe('ifcExtractor on IFC4X3', () => {
  it('reads an IFC4X3_ADD2 file and reports the IFC4X3 family', async () => {
    const result = await run(writeIfc4Sample(dir, 'sample-ifc4x3.ifc', 'IFC4X3_ADD2'));
    expect(result.metadata.schema).toBe('IFC4X3');
    expect(result.metadata.schema_identifier).toBe('IFC4X3_ADD2');
    expect(result.element_counts).toEqual(IFC4_SAMPLE_EXPECTED.element_counts);
    expect(result.spatial_structure?.storeys.map((s) => s.elevation)).toEqual([0, 3000]);
    expect(byName(result, 'Wall 1').properties.Pset_WallCommon.FireRating).toBe('REI 90');
  });
});

describe('ifcExtractor on bad input', () => {
  const cases = () => writeBadIfcInputs(mkdtempSync(join(dir, 'bad-')));

  it('answers every damaged or mislabelled file with a clear ExtractionError', async () => {
    const inputs = cases();
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

  it('survives garbage in the middle of the DATA section and still works afterwards', async () => {
    const text = readFileSync(ifc4Path, 'latin1');
    const middle = Math.floor(text.length / 2);
    const damaged = join(dir, 'damaged-middle.ifc');
    writeFileSync(
      damaged,
      `${text.slice(0, middle)}'\u0001\u0002((((#99999999=;;${text.slice(middle)}`,
      'latin1',
    );
    const outcome = await run(damaged).then(
      (r) => `ok:${r.success}`,
      (err: unknown) => (err instanceof ExtractionError ? err.code : 'crash'),
    );
    expect(['ok:true', 'CORRUPT_FILE']).toContain(outcome);
    const again = await run(ifc4Path);
    expect(again.elements).toHaveLength(15);
  });
});
