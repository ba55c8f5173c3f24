/**
 * Brings the product structure the file declares (NEXT_ASSEMBLY_USAGE_OCCURRENCE graph) into the
 * kernel's tree. occt-import-js folds intermediate sub-assemblies into the nearest node that
 * holds meshes (as1: l-bracket-assembly lists bolt ×3, nut ×3 instead of nut-bolt-assembly ×3
 * → {bolt, nut}); where the kernel node's solids are exactly the leaf occurrences of the
 * declared sub-tree, the missing levels are rebuilt around them (solids taken by product name,
 * in the kernel's order, which follows the file's occurrence order). Declared parts whose shape is
 * in another file (the kernel has nothing for them) come back as `external` parts. Solids the
 * kernel leaves unnamed (AP203 files: meshes called "SOLID") take the declared leaf names in
 * order, provided every product's solids then agree on their face count. Anything that does not
 * match is left as the kernel gave it. Without geometry, the declared tree itself is the answer.
 */
import {
  AssemblyOptions,
  assemblyPart,
  countSolids,
  isAnonymousSolid,
  renumberParts,
} from './step-assembly';
import { ProductNode } from './step-product-structure';
import { StepAssembly, StepPart } from './step-types';

const MAX_DEPTH = 64;

/** Restores flattened sub-assembly levels in place; returns true when something changed. */
export function restoreSubAssemblies(
  tree: StepAssembly,
  main: ProductNode | null,
  opts: AssemblyOptions,
): boolean {
  if (!main || tree.name !== main.name) return false;
  const rebuilt = matchChildren(tree.parts, main, opts, 0);
  if (!rebuilt || !rebuilt.changed) return false;
  // naming by order is only trusted when each product's solids look alike
  for (const faces of rebuilt.named.values()) if (faces.size > 1) return false;
  tree.parts = rebuilt.parts;
  renumberParts(tree.parts);
  tree.root_parts = tree.parts.length;
  tree.total_parts = countSolids(tree.parts);
  return true;
}

/** Product name -> face counts of the unnamed kernel solids given that name. */
type NamedByOrder = Map<string, Set<number>>;

interface Rebuilt {
  parts: StepPart[];
  changed: boolean;
  named: NamedByOrder;
}

/** The kernel children of one node, taken by name, as external parts, or unnamed in order. */
class Pool {
  private readonly rest: StepPart[];
  changed = false;

  readonly named: NamedByOrder = new Map();

  constructor(kernel: StepPart[]) {
    this.rest = [...kernel];
  }

  /** Takes over what a successful match one level down named. */
  adopt(named: NamedByOrder): void {
    for (const [name, faces] of named) {
      const mine = this.named.get(name) ?? new Set<number>();
      faces.forEach((f) => mine.add(f));
      this.named.set(name, mine);
    }
  }

  get empty(): boolean {
    return this.rest.length === 0;
  }

  assembly(name: string): StepPart | null {
    return this.takeWhere((p) => p.name === name && p.shape_type === 'assembly');
  }

  leaf(node: ProductNode): StepPart | null {
    const own = this.takeWhere((p) => p.name === node.name && p.shape_type !== 'assembly');
    if (own) return own;
    const external = externalPart(node);
    if (external) {
      this.changed = true;
      return external;
    }
    const unnamed = this.takeWhere((p) => isAnonymousSolid(p));
    if (!unnamed) return null;
    this.changed = true;
    const faces = this.named.get(node.name) ?? new Set<number>();
    faces.add(unnamed.num_faces);
    this.named.set(node.name, faces);
    return { ...unnamed, name: node.name };
  }

  private takeWhere(test: (p: StepPart) => boolean): StepPart | null {
    const i = this.rest.findIndex(test);
    return i < 0 ? null : this.rest.splice(i, 1)[0];
  }
}

/**
 * Matches the kernel's children of one node against the declared occurrences of `product`:
 * each declared child takes a kernel child of the same name (recursing into assemblies), or, for
 * a declared sub-assembly the kernel dropped, is rebuilt from kernel solids of its leaf names.
 * Null when the kernel's children cannot all be accounted for.
 */
function matchChildren(
  kernel: StepPart[],
  product: ProductNode,
  opts: AssemblyOptions,
  depth: number,
): Rebuilt | null {
  if (depth > MAX_DEPTH || product.children.length === 0) return null;
  const pool = new Pool(kernel);
  const parts: StepPart[] = [];
  let changed = false;
  for (const usage of product.children) {
    const node = usage.node;
    if (node.children.length === 0) {
      const leaf = pool.leaf(node);
      if (!leaf) return null;
      parts.push(leaf);
      continue;
    }
    const existing = pool.assembly(node.name);
    if (existing) {
      const inner = matchChildren(existing.children, node, opts, depth + 1);
      if (inner?.changed) {
        parts.push(assemblyPart(existing.name, existing.part_id, inner.parts, opts));
        pool.adopt(inner.named);
        changed = true;
      } else parts.push(existing);
      continue;
    }
    // the kernel dropped this level: gather its leaf solids from the pool
    const rebuilt = rebuildLevel(node, pool, opts, depth + 1);
    if (!rebuilt) return null;
    parts.push(rebuilt);
    changed = true;
  }
  if (!pool.empty) return null;
  return { parts, changed: changed || pool.changed, named: pool.named };
}

function rebuildLevel(
  node: ProductNode,
  pool: Pool,
  opts: AssemblyOptions,
  depth: number,
): StepPart | null {
  if (depth > MAX_DEPTH) return null;
  const children: StepPart[] = [];
  for (const usage of node.children) {
    const child = usage.node;
    const part =
      child.children.length === 0
        ? pool.leaf(child)
        : (pool.assembly(child.name) ?? rebuildLevel(child, pool, opts, depth + 1));
    if (!part) return null;
    children.push(part);
  }
  return assemblyPart(node.name, '', children, opts);
}

const NO_MEASUREMENTS = { calculateVolumes: false, calculateAreas: false };

/** A leaf without geometry: `external` when the file names where its shape is, else `product`. */
function declaredLeaf(node: ProductNode): StepPart {
  const external = node.external_files.length > 0;
  return {
    ...assemblyPart(node.name, '', [], NO_MEASUREMENTS, external ? 'external' : 'product'),
    ...(external ? { external_files: [...node.external_files] } : {}),
  };
}

function externalPart(node: ProductNode): StepPart | null {
  return node.external_files.length > 0 ? declaredLeaf(node) : null;
}

/**
 * The declared tree without geometry: assemblies, and leaves that are `external` (shape in
 * another file, named in `external_files`) or `product` (no shape read).
 */
export function productTreeAssembly(main: ProductNode): StepAssembly {
  const opts = NO_MEASUREMENTS;
  const build = (node: ProductNode, depth: number): StepPart => {
    if (node.children.length === 0 || depth > MAX_DEPTH) return declaredLeaf(node);
    return assemblyPart(
      node.name,
      '',
      node.children.map((u) => build(u.node, depth + 1)),
      opts,
    );
  };
  const parts = main.children.map((u) => build(u.node, 1));
  renumberParts(parts);
  return {
    name: main.name,
    parts,
    total_parts: countSolids(parts),
    root_parts: parts.length,
  };
}
