/**
 * Turns occt-import-js' node tree into the assembly/parts contract. occt attaches solids as
 * meshes to nodes: a node with no children and one mesh is a part; any other node is an
 * assembly whose meshes become its solid children. Nodes with no mesh anywhere below them
 * (wireframe or sketch geometry: a GEOMETRIC_CURVE_SET comes back as an empty "COMPOUND") are
 * dropped, and a solid the kernel names after its shape type ("SOLID") takes its product's name.
 */
import { OcctMesh, OcctNode } from './occt-kernel';
import { combinedCenter, meshMetrics, mergeBoxes, roundMetric } from './mesh-metrics';
import { StepAssembly, StepPart } from './step-types';

export interface AssemblyOptions {
  calculateVolumes: boolean;
  calculateAreas: boolean;
}

export function buildAssembly(
  root: OcctNode,
  meshes: OcctMesh[],
  fallbackName: string,
  opts: AssemblyOptions,
): StepAssembly {
  let top = withoutEmptyNodes(root) ?? { name: root.name, meshes: [], children: [] };
  while (!top.name && top.children.length === 1 && top.meshes.length === 0) top = top.children[0];
  const builder = new PartBuilder(meshes, opts);
  const parts = isLeafPart(top) ? [builder.leaf(top, '1')] : builder.childrenOf(top, '');
  return {
    name: top.name || fallbackName,
    parts,
    total_parts: countSolids(parts),
    root_parts: isLeafPart(top) ? 1 : top.children.length + top.meshes.length,
  };
}

/** OpenCASCADE's names for unnamed sub-shapes (TopAbs shape types). */
const SHAPE_TYPE_NAMES = new Set([
  'COMPOUND',
  'COMPSOLID',
  'SOLID',
  'SHELL',
  'FACE',
  'WIRE',
  'EDGE',
  'VERTEX',
  'SHAPE',
]);

function isShapeTypeName(name: string): boolean {
  return !name || SHAPE_TYPE_NAMES.has(name.trim().toUpperCase());
}

/**
 * Drops nodes without meshes in their subtree; a named node left with a single shape-type-named
 * child that holds one solid becomes that solid under the node's (product's) name, and several
 * such children (a multi-body part) take the node's name.
 */
function withoutEmptyNodes(node: OcctNode): OcctNode | null {
  const kept = node.children
    .map((c) => withoutEmptyNodes(c))
    .filter((c): c is OcctNode => c !== null);
  if (kept.length === 0 && node.meshes.length === 0) return null;
  const named = Boolean(node.name) && !isShapeTypeName(node.name);
  const anonymousSolid = (c: OcctNode) => isShapeTypeName(c.name) && isLeafPart(c);
  if (named && node.meshes.length === 0 && kept.length === 1 && anonymousSolid(kept[0]))
    return { name: node.name, meshes: kept[0].meshes, children: [] };
  const children = named
    ? kept.map((c) => (anonymousSolid(c) ? { ...c, name: node.name } : c))
    : kept;
  return { name: node.name, meshes: node.meshes, children };
}

function isLeafPart(node: OcctNode): boolean {
  return node.children.length === 0 && node.meshes.length === 1;
}

class PartBuilder {
  constructor(
    private readonly meshes: OcctMesh[],
    private readonly opts: AssemblyOptions,
  ) {}

  childrenOf(node: OcctNode, prefix: string): StepPart[] {
    const out: StepPart[] = [];
    const id = (n: number) => (prefix ? `${prefix}.${n}` : `${n}`);
    for (const child of node.children) {
      const childId = id(out.length + 1);
      out.push(isLeafPart(child) ? this.leaf(child, childId) : this.assembly(child, childId));
    }
    for (const meshIndex of node.meshes)
      out.push(this.solid(meshIndex, undefined, id(out.length + 1)));
    return out;
  }

  leaf(node: OcctNode, partId: string): StepPart {
    return this.solid(node.meshes[0], node.name, partId);
  }

  private assembly(node: OcctNode, partId: string): StepPart {
    return assemblyPart(
      node.name || `assembly ${partId}`,
      partId,
      this.childrenOf(node, partId),
      this.opts,
    );
  }

  private solid(meshIndex: number, nodeName: string | undefined, partId: string): StepPart {
    const mesh = this.meshes[meshIndex];
    const metrics = meshMetrics(mesh.attributes.position.array, mesh.index.array);
    const meshName = mesh.name && !isShapeTypeName(mesh.name) ? mesh.name : undefined;
    const ownName = (nodeName && !isShapeTypeName(nodeName) ? nodeName : undefined) || meshName;
    const part: StepPart = {
      name: ownName || `part ${partId}`,
      part_id: partId,
      shape_type: 'solid',
      volume: this.opts.calculateVolumes ? roundMetric(metrics.volume) : null,
      surface_area: this.opts.calculateAreas ? roundMetric(metrics.surface_area) : null,
      center_of_mass: this.opts.calculateVolumes ? roundPoint(metrics.center_of_mass) : null,
      bbox: metrics.bbox
        ? {
            min: roundPoint(metrics.bbox.min) as [number, number, number],
            max: roundPoint(metrics.bbox.max) as [number, number, number],
          }
        : null,
      color: colorOf(mesh),
      material: null,
      num_faces: mesh.brep_faces.length,
      validation: null,
      children: [],
    };
    if (!ownName) anonymousSolids.add(part);
    return part;
  }
}

/** Solids the kernel gave no name (nor a product's): step-structure-merge may name them. */
const anonymousSolids = new WeakSet<StepPart>();

export function isAnonymousSolid(part: StepPart): boolean {
  return anonymousSolids.has(part);
}

/** An assembly node: sums of its children's volumes, areas and faces, merged boxes. */
export function assemblyPart(
  name: string,
  partId: string,
  children: StepPart[],
  opts: AssemblyOptions,
  shapeType: StepPart['shape_type'] = 'assembly',
): StepPart {
  const volume = opts.calculateVolumes ? sumOrNull(children.map((c) => c.volume)) : null;
  return {
    name,
    part_id: partId,
    shape_type: shapeType,
    volume: volume === null ? null : roundMetric(volume),
    surface_area: opts.calculateAreas
      ? roundOrNull(sumOrNull(children.map((c) => c.surface_area)))
      : null,
    center_of_mass: opts.calculateVolumes
      ? roundPoint(
          combinedCenter(
            children.map((c) => ({ volume: c.volume ?? 0, center_of_mass: c.center_of_mass })),
          ),
        )
      : null,
    bbox: mergeBoxes(children.map((c) => c.bbox)),
    color: null,
    material: null,
    num_faces: children.reduce((n, c) => n + c.num_faces, 0),
    validation: null,
    children,
  };
}

/** Gives every part its position id again ("1", "1.2", …) after the tree was rearranged. */
export function renumberParts(parts: StepPart[], prefix = ''): void {
  parts.forEach((part, i) => {
    part.part_id = prefix ? `${prefix}.${i + 1}` : `${i + 1}`;
    renumberParts(part.children, part.part_id);
  });
}

function sumOrNull(values: (number | null)[]): number | null {
  return values.some((v) => v !== null) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : null;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : roundMetric(value);
}

function roundPoint(p: [number, number, number] | null): [number, number, number] | null {
  return p ? [roundMetric(p[0]), roundMetric(p[1]), roundMetric(p[2])] : null;
}

function colorOf(mesh: OcctMesh): string | null {
  const rgb = mesh.color ?? mesh.brep_faces.find((f) => f.color)?.color ?? null;
  if (!rgb) return null;
  return `#${rgb
    .map((c) =>
      Math.round(Math.min(1, Math.max(0, c)) * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Leaf occurrences (solids, or products/external parts without geometry). */
export function countSolids(parts: StepPart[]): number {
  return parts.reduce((n, p) => n + (p.shape_type === 'assembly' ? countSolids(p.children) : 1), 0);
}

export function countAssemblies(parts: StepPart[]): number {
  return parts.reduce(
    (n, p) => n + (p.shape_type === 'assembly' ? 1 + countAssemblies(p.children) : 0),
    0,
  );
}

export function walkParts(parts: StepPart[], visit: (part: StepPart) => void): void {
  for (const part of parts) {
    visit(part);
    walkParts(part.children, visit);
  }
}
