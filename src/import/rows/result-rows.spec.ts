import { recordTypesOf, rowsFromResult, UnknownRecordTypeError } from './result-rows';

const envelope = (source_type: string) => ({
  source_file: `x.${source_type}`,
  source_type,
  success: true,
  metadata: {},
  errors: [],
  warnings: [],
});

const bom = {
  items: [
    {
      item_id: '1',
      part_number: 'HX-100',
      description: 'Housing',
      quantity: 1,
      material: 'EN-GJL-250',
      revision: 'A',
      parent_id: null,
      level: 1,
    },
    {
      item_id: '1.1',
      part_number: 'SC-M10',
      description: 'Screw',
      quantity: 8,
      material: '8.8',
      revision: null,
      parent_id: '1',
      level: 2,
      path: '1/1.1',
    },
  ],
  headers: ['item_id', 'part_number'],
  total_items: 2,
  hierarchy_level: 2,
  is_flat: false,
};

const titleBlock = {
  drawing_number: 'GB-1001',
  title: 'GEARBOX HOUSING',
  revision: 'C',
  date: '2024-03-15',
  author: null,
  company: null,
  scale: '1:2',
  sheet: null,
  material: null,
  finish: null,
  custom_fields: { checked_by: 'A. JONES' },
  confidence: 0.9,
};

describe('rowsFromResult', () => {
  describe('pdf', () => {
    const pdf = {
      ...envelope('pdf'),
      tables: [
        {
          headers: ['ITEM', 'PART NO', '', 'PART NO'],
          rows: [
            ['1', 'HX-100', 'Housing', 'x'],
            ['2', 'SH-200', '', 'y'],
          ],
          page: 2,
          confidence: 0.9,
          bbox: [0, 0, 1, 1],
          num_rows: 2,
          num_columns: 4,
        },
        {
          headers: ['A'],
          rows: [['3']],
          page: 3,
          confidence: 0.9,
          bbox: [0, 0, 1, 1],
          num_rows: 1,
          num_columns: 1,
        },
      ],
      dimensions: [
        {
          value: 12,
          unit: 'mm',
          tolerance_plus: 0.1,
          tolerance_minus: -0.1,
          dimension_type: 'diameter',
          label: 'Ø12 ±0.1',
          page: 1,
          confidence: 1,
          bbox: [1, 2, 3, 4],
        },
      ],
      text_blocks: [
        {
          text: 'BRACKET',
          page: 1,
          confidence: 1,
          bbox: [0, 0, 1, 1],
          font_size: 20,
          is_title: true,
        },
      ],
      title_block: titleBlock,
      bom: null,
    };

    it('zips every table row with its headers (blank and repeated headers named), with its page', () => {
      const set = rowsFromResult('pdf', pdf);
      expect(set.record_type).toBe('tables');
      expect(set.rows).toEqual([
        { ITEM: '1', 'PART NO': 'HX-100', 'column 3': 'Housing', 'PART NO (2)': 'x', page: 2 },
        { ITEM: '2', 'PART NO': 'SH-200', 'column 3': null, 'PART NO (2)': 'y', page: 2 },
        { A: '3', page: 3 },
      ]);
      expect(set.record_types).toEqual([
        'tables',
        'dimensions',
        'text_blocks',
        'title_block',
        'bom',
      ]);
    });

    it('reads dimensions, text blocks and the title block when asked, without bboxes', () => {
      expect(rowsFromResult('pdf', pdf, 'dimensions').rows).toEqual([
        {
          value: 12,
          unit: 'mm',
          tolerance_plus: 0.1,
          tolerance_minus: -0.1,
          dimension_type: 'diameter',
          label: 'Ø12 ±0.1',
          page: 1,
          confidence: 1,
        },
      ]);
      expect(rowsFromResult('pdf', pdf, 'text_blocks').rows).toEqual([
        { text: 'BRACKET', page: 1, confidence: 1, font_size: 20, is_title: true },
      ]);
      expect(rowsFromResult('pdf', pdf, 'title_block').rows).toEqual([
        expect.objectContaining({
          drawing_number: 'GB-1001',
          revision: 'C',
          checked_by: 'A. JONES',
        }),
      ]);
    });

    it('defaults to the first record type with rows', () => {
      const noTables = { ...pdf, tables: [] };
      expect(rowsFromResult('pdf', noTables).record_type).toBe('dimensions');
    });
  });

  describe('dxf', () => {
    const dxf = {
      ...envelope('dxf'),
      layers: [
        {
          name: 'OUTLINE',
          color: 'red',
          linetype: 'CONTINUOUS',
          lineweight: 0.5,
          is_on: true,
          is_frozen: false,
          is_locked: false,
          entity_count: 3,
        },
      ],
      blocks: [
        {
          name: 'PARTLABEL',
          insert_count: 2,
          base_point: [0, 0, 0],
          attributes: [
            { tag: 'PARTNO', value: 'P-1' },
            { tag: 'QTY', value: '4' },
          ],
          entity_count: 5,
        },
      ],
      dimensions: [
        {
          value: 20,
          unit: 'mm',
          tolerance_plus: null,
          tolerance_minus: null,
          dimension_type: 'linear',
          label: null,
          layer: 'DIM',
          position: [1, 2, 0],
        },
      ],
      text_blocks: [
        {
          text: 'NOTE 1',
          height: 2.5,
          position: [5, 6, 0],
          layer: 'NOTES',
          rotation: 0,
          kind: 'TEXT',
        },
      ],
      title_block: null,
      geometry_summary: {},
      entities: [],
      bom: { ...bom, items: [bom.items[0]] },
    };

    it('gives block attributes as columns, BOM lines by default', () => {
      expect(rowsFromResult('dxf', dxf).record_type).toBe('bom');
      expect(rowsFromResult('dxf', dxf, 'blocks').rows).toEqual([
        { name: 'PARTLABEL', insert_count: 2, entity_count: 5, PARTNO: 'P-1', QTY: '4' },
      ]);
    });

    it('reads texts with x/y, dimensions without position, and layers', () => {
      expect(rowsFromResult('dxf', dxf, 'texts').rows).toEqual([
        { text: 'NOTE 1', height: 2.5, layer: 'NOTES', rotation: 0, kind: 'TEXT', x: 5, y: 6 },
      ]);
      expect(rowsFromResult('dxf', dxf, 'dimensions').rows[0]).toEqual({
        value: 20,
        unit: 'mm',
        tolerance_plus: null,
        tolerance_minus: null,
        dimension_type: 'linear',
        label: null,
        layer: 'DIM',
      });
      expect(rowsFromResult('dxf', dxf, 'layers').rows[0]).toMatchObject({
        name: 'OUTLINE',
        entity_count: 3,
        is_on: true,
      });
    });

    it('refuses a record type the format does not offer, naming those it does', () => {
      expect(() => rowsFromResult('dxf', dxf, 'elements')).toThrow(UnknownRecordTypeError);
      expect(() => rowsFromResult('dxf', dxf, 'elements')).toThrow(/bom, blocks, texts/);
    });
  });

  describe('ifc', () => {
    const ifc = {
      ...envelope('ifc'),
      elements: [
        {
          global_id: '2O2Fr$t4X7Zf8NOew3FLOH',
          ifc_class: 'IfcWall',
          name: 'Wall 1',
          description: null,
          object_type: null,
          storey: 'Level 1',
          properties: {
            Pset_WallCommon: { FireRating: 'F90', IsExternal: true, Tags: ['a', 'b'] },
          },
          quantities: {
            Qto_WallBaseQuantities: {
              Length: { value: 5, unit: 'm' },
              Count: { value: 1, unit: null },
            },
          },
          materials: ['Concrete', 'Plaster'],
          type_name: 'Basic Wall',
        },
      ],
      spatial_structure: {
        project: null,
        sites: [],
        buildings: [],
        storeys: [
          {
            global_id: 's1',
            name: 'Level 1',
            description: null,
            long_name: null,
            elevation: 0,
            building: 'B',
            element_count: 1,
          },
        ],
        spaces: [],
      },
      type_objects: [],
    };

    it('flattens class, name, GlobalId, storey, materials, properties and quantities (unit in the name)', () => {
      const set = rowsFromResult('ifc', ifc);
      expect(set.record_type).toBe('elements');
      expect(set.rows).toEqual([
        {
          ifc_class: 'IfcWall',
          name: 'Wall 1',
          global_id: '2O2Fr$t4X7Zf8NOew3FLOH',
          storey: 'Level 1',
          material: 'Concrete; Plaster',
          description: null,
          object_type: null,
          type_name: 'Basic Wall',
          'Pset_WallCommon.FireRating': 'F90',
          'Pset_WallCommon.IsExternal': true,
          'Pset_WallCommon.Tags': 'a; b',
          'Qto_WallBaseQuantities.Length (m)': 5,
          'Qto_WallBaseQuantities.Count': 1,
        },
      ]);
      expect(set.record_types).toEqual(['elements', 'storeys', 'types']);
    });

    it('reads storeys', () => {
      expect(rowsFromResult('ifc', ifc, 'storeys').rows).toEqual([
        {
          name: 'Level 1',
          global_id: 's1',
          long_name: null,
          elevation: 0,
          building: 'B',
          element_count: 1,
        },
      ]);
    });
  });

  describe('step', () => {
    const part = (part_id: string, name: string, children: unknown[] = []) => ({
      name,
      part_id,
      shape_type: children.length ? 'assembly' : 'solid',
      volume: children.length ? null : 24000,
      surface_area: null,
      center_of_mass: null,
      bbox: { min: [0, 0, 0], max: [20, 30, 40] },
      color: '#ff0000',
      material: null,
      num_faces: 6,
      children,
    });
    const step = {
      ...envelope('step'),
      assembly: {
        name: 'ASM',
        parts: [part('1', 'Frame', [part('1.1', 'Plate'), part('1.2', 'Bolt')])],
        total_parts: 2,
        root_parts: 1,
      },
      bom: { ...bom },
    };

    it('walks the assembly tree into one row per occurrence with parent and level', () => {
      const set = rowsFromResult('step', step);
      expect(set.record_type).toBe('parts');
      expect(set.rows.map((r) => [r.part_id, r.name, r.parent_id, r.level])).toEqual([
        ['1', 'Frame', null, 1],
        ['1.1', 'Plate', '1', 2],
        ['1.2', 'Bolt', '1', 2],
      ]);
      expect(set.rows[1]).toMatchObject({
        volume: 24000,
        size_x: 20,
        size_y: 30,
        size_z: 40,
        color: '#ff0000',
      });
    });

    it('reads the BOM when asked', () => {
      expect(rowsFromResult('step', step, 'bom').rows).toHaveLength(2);
    });
  });

  describe('bom', () => {
    it('gives every item with its extra flattening columns', () => {
      const set = rowsFromResult('bom', { ...envelope('bom'), bom, sheets: [] });
      expect(set.record_type).toBe('items');
      expect(set.rows[1]).toEqual({
        item_id: '1.1',
        part_number: 'SC-M10',
        description: 'Screw',
        quantity: 8,
        material: '8.8',
        revision: null,
        parent_id: '1',
        level: 2,
        path: '1/1.1',
      });
    });
  });

  describe('werk24', () => {
    it('reads dimensions and threads of the Werk24 result', () => {
      const result = {
        ...envelope('werk24'),
        dimensions: [{ value: 10, unit: 'mm', label: '10', confidence: 0.9, page: 1 }],
        threads: [{ label: 'M10x1.5', diameter: 10, pitch: 1.5, page: 1 }],
        gdt_annotations: [],
        surface_finishes: [],
        materials: [],
        title_block: null,
      };
      expect(rowsFromResult('werk24', result).rows).toEqual([
        { value: 10, unit: 'mm', label: '10', confidence: 0.9, page: 1 },
      ]);
      expect(rowsFromResult('werk24', result, 'threads').rows[0]).toMatchObject({ pitch: 1.5 });
    });
  });

  it('reads nothing, without throwing, from a partial result that lacks the lists', () => {
    expect(rowsFromResult('pdf', { ...envelope('pdf'), success: false })).toEqual({
      record_type: 'tables',
      record_types: recordTypesOf('pdf'),
      rows: [],
    });
  });
});
