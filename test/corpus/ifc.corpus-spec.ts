/**
 * The shared IFC corpus (../shared/fixtures/ifc, 31 files written by IfcOpenShell 0.8.0): every
 * file parses, the README's known values hold, and element, storey and space counts agree with an
 * independent raw scan of the entity lines.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ifcExtractor } from '../../src/extraction/extractors/ifc/ifc.extractor';
import { IfcExtractionResult } from '../../src/extraction/extractors/ifc/ifc-types';
import { extractionErrorCode } from '../support/extraction-outcome';
import { describeWithInput } from '../support/required-input';

const dir = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'ifc');
const present = existsSync(dir);
const d = describeWithInput(dir, 'the shared IFC corpus');

/** Building-element classes that occur in the corpus (upper case, as written in the files). */
const ELEMENT_CLASSES = [
  'WALL',
  'DOOR',
  'WINDOW',
  'SLAB',
  'BEAM',
  'COLUMN',
  'STAIR',
  'ROOF',
  'RAILING',
  'CURTAINWALL',
  'COVERING',
  'RAMP',
].map((c) => `IFC${c}`);

/** Independent raw scan: `#12=IFCWALL(` lines per class. */
function rawCounts(file: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of readFileSync(file, 'latin1').matchAll(/^#\d+\s*=\s*(IFC[A-Z0-9]+)\s*\(/gm))
    counts[m[1]] = (counts[m[1]] ?? 0) + 1;
  return counts;
}

async function extract(
  name: string,
  options: Record<string, unknown> = {},
): Promise<IfcExtractionResult> {
  return ifcExtractor.extract({
    filePath: join(dir, name),
    filename: name,
    options,
    onProgress: () => undefined,
    signal: new AbortController().signal,
  });
}

d('IFC corpus (../shared/fixtures/ifc)', () => {
  const files = present
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.ifc'))
        .sort()
    : [];
  const results = new Map<string, IfcExtractionResult>();

  beforeAll(async () => {
    for (const file of files) results.set(file, await extract(file));
  });

  it('holds the 31 files the README describes', () => {
    expect(files).toHaveLength(31);
  });

  it('parses every file with a schema, a project name and units', () => {
    for (const file of files) {
      const r = results.get(file) as IfcExtractionResult;
      expect({ file, success: r.success, errors: r.errors }).toEqual({
        file,
        success: true,
        errors: [],
      });
      expect({ file, schema: r.metadata.schema }).toEqual({
        file,
        schema: file.startsWith('23_') ? 'IFC2X3' : 'IFC4',
      });
      expect(typeof r.metadata.project_name).toBe('string');
      // every corpus file carries an IfcUnitAssignment with metres (the README says otherwise)
      expect({ file, units: r.metadata.units }).toEqual({ file, units: { LENGTHUNIT: 'METRE' } });
    }
  });

  it('agrees with a raw scan on element, storey and space counts', () => {
    for (const file of files) {
      const r = results.get(file) as IfcExtractionResult;
      const raw = rawCounts(join(dir, file));
      const expected = Object.fromEntries(
        ELEMENT_CLASSES.filter((c) => raw[c]).map((c) => [c, raw[c]]),
      );
      const got = Object.fromEntries(
        Object.entries(r.element_counts).map(([k, v]) => [k.toUpperCase(), v]),
      );
      expect({ file, counts: got }).toEqual({ file, counts: expected });
      expect({ file, storeys: r.spatial_structure?.storeys.length }).toEqual({
        file,
        storeys: raw.IFCBUILDINGSTOREY ?? 0,
      });
      expect({ file, spaces: r.spatial_structure?.spaces.length }).toEqual({
        file,
        spaces: raw.IFCSPACE ?? 0,
      });
    }
  });

  it('01_walls_only has 5 IfcWall', () => {
    expect(results.get('01_walls_only.ifc')?.element_counts).toEqual({ IfcWall: 5 });
  });

  it('14_building_10_storeys has 10 storeys 3.5 apart, lowest first', () => {
    const storeys = results.get('14_building_10_storeys.ifc')?.spatial_structure?.storeys ?? [];
    expect(storeys.map((s) => s.name)).toEqual(
      Array.from({ length: 10 }, (_v, i) => `Floor ${i + 1}`),
    );
    expect(storeys.map((s) => s.elevation)).toEqual([
      0, 3.5, 7, 10.5, 14, 17.5, 21, 24.5, 28, 31.5,
    ]);
  });

  it('17_with_spaces has 4 spaces on the ground floor', () => {
    const spaces = results.get('17_with_spaces.ifc')?.spatial_structure?.spaces ?? [];
    expect(spaces).toHaveLength(4);
    expect(spaces.map((s) => s.name)).toEqual([
      'Office 1',
      'Office 2',
      'Conference Room',
      'Corridor',
    ]);
    expect(spaces.every((s) => s.storey === 'Ground Floor')).toBe(true);
  });

  it('15_with_properties has Pset_WallCommon with typed values', () => {
    const r = results.get('15_with_properties.ifc') as IfcExtractionResult;
    expect(r.property_sets).toEqual(['Pset_WallCommon']);
    expect(r.elements[0].properties).toEqual({
      Pset_WallCommon: { LoadBearing: true, FireRating: '120 min', ThermalTransmittance: 0.24 },
    });
  });

  it('16_with_materials has material "Concrete"', () => {
    expect(results.get('16_with_materials.ifc')?.elements.map((e) => e.materials)).toEqual([
      ['Concrete'],
    ]);
  });

  it('28_with_type_objects has an IfcDoorType used by its doors', () => {
    const r = results.get('28_with_type_objects.ifc') as IfcExtractionResult;
    expect(r.type_objects.map((t) => [t.ifc_class, t.instance_count])).toEqual([
      ['IfcDoorType', 3],
    ]);
    expect(r.elements.every((e) => e.type_name === r.type_objects[0].name)).toBe(true);
  });

  it('30_office_building and 31_warehouse have the README counts', () => {
    expect(results.get('30_office_building.ifc')?.element_counts).toEqual({
      IfcBeam: 6,
      IfcColumn: 8,
      IfcCovering: 1,
      IfcCurtainWall: 2,
      IfcSlab: 1,
    });
    expect(results.get('31_warehouse.ifc')?.element_counts).toEqual({
      IfcBeam: 10,
      IfcColumn: 12,
      IfcDoor: 4,
      IfcRamp: 2,
      IfcRoof: 1,
    });
  });

  it('23_schema_IFC2X3 reads as IFC2X3', () => {
    expect(results.get('23_schema_IFC2X3.ifc')?.metadata.schema).toBe('IFC2X3');
  });

  it('filters 31_warehouse by element_types', async () => {
    const r = await extract('31_warehouse.ifc', { element_types: ['IfcColumn', 'ifcramp'] });
    expect(r.element_counts).toEqual({ IfcColumn: 12, IfcRamp: 2 });
  });

  it('leaves the opening of 27_with_openings out of the elements', () => {
    const raw = rawCounts(join(dir, '27_with_openings.ifc'));
    expect(raw.IFCOPENINGELEMENT).toBe(1);
    expect(results.get('27_with_openings.ifc')?.element_counts).toEqual({ IfcWall: 1 });
  });

  it('answers truncated copies and the STEP corpus renamed .ifc with clear errors', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ifc-corpus-bad-'));
    try {
      const outcomes: string[] = [];
      for (const file of files) {
        const bytes = readFileSync(join(dir, file));
        const cut = join(tmp, file);
        writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
        outcomes.push(await codeOf(cut));
      }
      expect(new Set(outcomes)).toEqual(new Set(['CORRUPT_FILE']));
      const stepDir = resolve(dir, '..', 'step');
      for (const file of readdirSync(stepDir)) {
        const renamed = join(tmp, `${file}.ifc`);
        writeFileSync(renamed, readFileSync(join(stepDir, file)));
        expect({ file, code: await codeOf(renamed) }).toEqual({ file, code: 'UNSUPPORTED_FORMAT' });
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

const codeOf = (filePath: string) => extractionErrorCode(ifcExtractor, filePath, 'bad.ifc');
