import { buildAssembly } from './step-assembly';
import { buildStepBom } from './step-bom';
import { checkFaceCount } from './step-face-check';
import { OcctMesh, OcctNode } from './occt-kernel';
import { ProductNode } from './step-product-structure';
import { restoreSubAssemblies } from './step-structure-merge';

/** An axis-aligned box as occt-import-js would hand it over: 12 outward triangles, 6 faces. */
function boxMesh(
  name: string,
  min: [number, number, number],
  size: [number, number, number],
  color?: [number, number, number],
): OcctMesh {
  const [x, y, z] = min;
  const [a, b, c] = size;
  const p = (i: number) => [x + (i & 1 ? a : 0), y + (i & 2 ? b : 0), z + (i & 4 ? c : 0)];
  const quads = [
    [0, 2, 3, 1],
    [4, 5, 7, 6],
    [0, 1, 5, 4],
    [2, 6, 7, 3],
    [0, 4, 6, 2],
    [1, 3, 7, 5],
  ];
  return {
    name,
    color,
    brep_faces: quads.map((_q, i) => ({ first: 2 * i, last: 2 * i + 1, color: null })),
    attributes: { position: { array: Array.from({ length: 8 }, (_v, i) => p(i)).flat() } },
    index: { array: quads.flatMap(([q0, q1, q2, q3]) => [q0, q1, q2, q0, q2, q3]) },
  };
}

const node = (name: string, meshes: number[], children: OcctNode[] = []): OcctNode => ({
  name,
  meshes,
  children,
});

// "" -> "frame" -> [ "leg" x2 (sub-assembly of 1 bolt + 1 tube), "plate" part ], plus 2 loose screws on frame
const meshes = [
  boxMesh('bolt', [0, 0, 0], [1, 1, 10], [1, 0, 0]),
  boxMesh('tube', [2, 0, 0], [2, 2, 20]),
  boxMesh('bolt', [10, 0, 0], [1, 1, 10], [1, 0, 0]),
  boxMesh('tube', [12, 0, 0], [2, 2, 20]),
  boxMesh('plate', [0, 0, 20], [20, 10, 1], [0, 0.5, 1]),
  boxMesh('screw', [0, 0, 21], [1, 1, 1]),
  boxMesh('screw', [5, 0, 21], [1, 1, 1]),
];
const tree = node(
  '',
  [],
  [node('frame', [5, 6], [node('leg', [0, 1]), node('leg', [2, 3]), node('plate', [4])])],
);

describe('buildAssembly', () => {
  const assembly = buildAssembly(tree, meshes, 'fallback', {
    calculateVolumes: true,
    calculateAreas: true,
  });

  it('skips the unnamed root and lays out sub-assemblies, parts and loose solids', () => {
    expect(assembly.name).toBe('frame');
    expect(assembly.total_parts).toBe(7);
    expect(assembly.root_parts).toBe(5);
    expect(assembly.parts.map((p) => [p.part_id, p.name, p.shape_type])).toEqual([
      ['1', 'leg', 'assembly'],
      ['2', 'leg', 'assembly'],
      ['3', 'plate', 'solid'],
      ['4', 'screw', 'solid'],
      ['5', 'screw', 'solid'],
    ]);
    expect(assembly.parts[0].children.map((p) => [p.part_id, p.name])).toEqual([
      ['1.1', 'bolt'],
      ['1.2', 'tube'],
    ]);
  });

  it('sums volumes, areas and faces of an assembly and merges the boxes', () => {
    const leg = assembly.parts[1];
    expect(leg.volume).toBe(10 + 80);
    expect(leg.surface_area).toBe(42 + 168);
    expect(leg.num_faces).toBe(12);
    expect(leg.bbox).toEqual({ min: [10, 0, 0], max: [14, 2, 20] });
    expect(leg.center_of_mass).toEqual(
      [(10 * 10.5 + 80 * 13) / 90, (10 * 0.5 + 80 * 1) / 90, (10 * 5 + 80 * 10) / 90].map((v) =>
        Number(v.toPrecision(12)),
      ),
    );
    expect(assembly.parts[2]).toMatchObject({
      volume: 200,
      surface_area: 460,
      color: '#0080ff',
      num_faces: 6,
    });
    expect(leg.children[0].color).toBe('#ff0000');
  });

  it('leaves measurements out when not asked for', () => {
    const bare = buildAssembly(tree, meshes, 'fallback', {
      calculateVolumes: false,
      calculateAreas: false,
    });
    expect(bare.parts[0]).toMatchObject({
      volume: null,
      surface_area: null,
      center_of_mass: null,
      num_faces: 12,
    });
  });

  it('uses the file name when the tree has no name at all', () => {
    const single = buildAssembly(node('', [], [node('', [0])]), meshes, 'bracket', {
      calculateVolumes: true,
      calculateAreas: true,
    });
    expect(single.name).toBe('bracket');
    expect(single.parts.map((p) => p.name)).toEqual(['bolt']);
  });
});

describe('buildStepBom', () => {
  it('counts repeated parts and sub-assemblies per parent', () => {
    const assembly = buildAssembly(tree, meshes, 'fallback', {
      calculateVolumes: true,
      calculateAreas: true,
    });
    const bom = buildStepBom(assembly.name, assembly.parts);
    expect(
      bom?.items.map((i) => [
        i.item_id,
        i.part_number,
        i.description,
        i.quantity,
        i.parent_id,
        i.level,
      ]),
    ).toEqual([
      ['1', 'frame', 'assembly', 1, null, 0],
      ['1.1', 'leg', 'assembly', 2, '1', 1],
      ['1.1.1', 'bolt', 'part', 1, '1.1', 2],
      ['1.1.2', 'tube', 'part', 1, '1.1', 2],
      ['1.2', 'plate', 'part', 1, '1', 1],
      ['1.3', 'screw', 'part', 2, '1', 1],
    ]);
    expect(bom).toMatchObject({ total_items: 6, hierarchy_level: 3, is_flat: false });
  });

  it('gives no BOM without parts', () => {
    expect(buildStepBom('empty', [])).toBeNull();
  });
});

describe('buildAssembly on kernel nodes without meshes', () => {
  const opts = { calculateVolumes: true, calculateAreas: true };

  it('drops an empty COMPOUND and names the lone SOLID after its product', () => {
    const sketched = node(
      '',
      [],
      [node('Bracket', [], [node('SOLID', [4]), node('COMPOUND', [])])],
    );
    const assembly = buildAssembly(sketched, meshes, 'fallback', opts);
    expect(assembly.name).toBe('Bracket');
    expect(assembly.parts.map((p) => [p.part_id, p.name, p.shape_type])).toEqual([
      ['1', 'Bracket', 'solid'],
    ]);
    expect(assembly).toMatchObject({ total_parts: 1, root_parts: 1 });
    expect(buildStepBom(assembly.name, assembly.parts)?.items).toHaveLength(1);
  });

  it('names the bodies of a multi-body part after the part', () => {
    const multiBody = node('', [], [node('Bracket', [], [node('SOLID', [4]), node('SOLID', [5])])]);
    const assembly = buildAssembly(multiBody, meshes, 'fallback', opts);
    expect(assembly.name).toBe('Bracket');
    expect(assembly.parts.map((p) => [p.name, p.shape_type])).toEqual([
      ['Bracket', 'solid'],
      ['Bracket', 'solid'],
    ]);
  });

  it('drops empty sub-assemblies deep in the tree but keeps named solids', () => {
    const withEmpty = node(
      '',
      [],
      [node('frame', [], [node('plate', [4]), node('bolts', [], [node('', [])])])],
    );
    const assembly = buildAssembly(withEmpty, meshes, 'fallback', opts);
    expect(assembly.name).toBe('frame');
    expect(assembly.parts.map((p) => [p.name, p.shape_type])).toEqual([['plate', 'solid']]);
  });
});

describe('restoreSubAssemblies', () => {
  const opts = { calculateVolumes: true, calculateAreas: true };
  const product = (name: string, children: ProductNode[] = []): ProductNode => ({
    definition: 0,
    product_id: name,
    name,
    external_files: [],
    children: children.map((c) => ({ occurrence: `${c.name}_1`, node: c })),
  });
  const bolt = product('bolt');
  const tube = product('tube');
  const leg = product('leg', [bolt, tube]);
  // the kernel folded the two legs into frame: bolt, tube, bolt, tube, plate
  const folded = node('', [], [node('frame', [0, 1, 2, 3, 4])]);

  it('rebuilds folded levels around the kernel solids, in the kernel order', () => {
    const tree = buildAssembly(folded, meshes, 'fallback', opts);
    const declared = product('frame', [leg, leg, product('plate')]);
    expect(restoreSubAssemblies(tree, declared, opts)).toBe(true);
    expect(tree.parts.map((p) => [p.part_id, p.name, p.shape_type, p.volume])).toEqual([
      ['1', 'leg', 'assembly', 90],
      ['2', 'leg', 'assembly', 90],
      ['3', 'plate', 'solid', 200],
    ]);
    expect(tree.parts[1].children.map((p) => [p.part_id, p.name, p.bbox?.min[0]])).toEqual([
      ['2.1', 'bolt', 10],
      ['2.2', 'tube', 12],
    ]);
    expect(tree).toMatchObject({ total_parts: 5, root_parts: 3 });
  });

  it('leaves the tree alone when the declared structure does not account for every solid', () => {
    const tree = buildAssembly(folded, meshes, 'fallback', opts);
    const before = JSON.stringify(tree);
    expect(restoreSubAssemblies(tree, product('frame', [leg, leg]), opts)).toBe(false);
    expect(restoreSubAssemblies(tree, product('other', [leg, leg, product('plate')]), opts)).toBe(
      false,
    );
    expect(restoreSubAssemblies(tree, null, opts)).toBe(false);
    expect(JSON.stringify(tree)).toBe(before);
  });

  it('keeps a tree that already matches as it is', () => {
    const built = buildAssembly(tree, meshes, 'fallback', opts);
    const declared = product('frame', [
      leg,
      leg,
      product('plate'),
      product('screw'),
      product('screw'),
    ]);
    const before = JSON.stringify(built);
    expect(restoreSubAssemblies(built, declared, opts)).toBe(false);
    expect(JSON.stringify(built)).toBe(before);
  });
});

describe('restoreSubAssemblies with solids the kernel left unnamed (AP203 "SOLID" meshes)', () => {
  const opts = { calculateVolumes: false, calculateAreas: false };
  const leaf = (name: string): ProductNode => ({
    definition: 0,
    product_id: name,
    name,
    external_files: [],
    children: [],
  });
  const declared: ProductNode = {
    ...leaf('ROD_ASM'),
    children: ['ROD', 'NUT', 'NUT'].map((n) => ({ occurrence: n, node: leaf(n) })),
  };
  const anonymous = (faces: number) => {
    const mesh = boxMesh('SOLID', [0, 0, 0], [1, 1, 1]);
    return { ...mesh, brep_faces: mesh.brep_faces.slice(0, faces) };
  };

  it('names them after the declared leaves in order when each product agrees on faces', () => {
    const kernelMeshes = [anonymous(4), anonymous(6), anonymous(6)];
    const tree = buildAssembly(node('', [], [node('ROD_ASM', [0, 1, 2])]), kernelMeshes, 'x', opts);
    expect(tree.parts.map((p) => p.name)).toEqual(['part 1', 'part 2', 'part 3']);
    expect(restoreSubAssemblies(tree, declared, opts)).toBe(true);
    expect(tree.parts.map((p) => [p.part_id, p.name, p.num_faces])).toEqual([
      ['1', 'ROD', 4],
      ['2', 'NUT', 6],
      ['3', 'NUT', 6],
    ]);
  });

  it('keeps them unnamed when the order would give one product different solids', () => {
    const kernelMeshes = [anonymous(6), anonymous(4), anonymous(6)];
    const tree = buildAssembly(node('', [], [node('ROD_ASM', [0, 1, 2])]), kernelMeshes, 'x', opts);
    expect(restoreSubAssemblies(tree, declared, opts)).toBe(false);
    expect(tree.parts.map((p) => p.name)).toEqual(['part 1', 'part 2', 'part 3']);
  });
});

describe('checkFaceCount', () => {
  it('warns with the counts when the kernel read fewer faces than the file defines', () => {
    const assembly = buildAssembly(tree, meshes, 'fallback', {
      calculateVolumes: false,
      calculateAreas: false,
    });
    // distinct parts: leg's bolt and tube, plate, screw: 4 × 6 faces
    const warnings: string[] = [];
    expect(checkFaceCount(assembly, { ADVANCED_FACE: 24 }, warnings)).toEqual({
      file: 24,
      kernel: 24,
    });
    expect(warnings).toEqual([]);
    checkFaceCount(assembly, { ADVANCED_FACE: 20, FACE_SURFACE: 6 }, warnings);
    expect(warnings).toEqual([
      'The geometry kernel read 24 of the 26 faces the file defines (ADVANCED_FACE/FACE_SURFACE): 2 faces were lost (damaged or unreadable geometry), so volumes and areas of the affected parts are not reliable',
    ]);
  });
});
