/**
 * Brings the product structure the file declares (NEXT_ASSEMBLY_USAGE_OCCURRENCE graph) into the
 * kernel's tree. occt-import-js folds intermediate sub-assemblies into the nearest node that
 * holds meshes (as1: l-bracket-assembly lists bolt ×3, nut ×3 instead of nut-bolt-assembly ×3
 * → {bolt, nut}); where the kernel node's solids are exactly the leaf occurrences of the
 * declared sub-tree, the missing levels are rebuilt around them (solids taken by product name,
 * in the kernel's order, which follows the file's occurrence order). Declared parts whose shape is
 * in another file (the kernel has nothing for them) come back as `external` parts. Anything that
 * does not match is left as the kernel gave it. Without geometry, the declared tree itself is the
 * answer.
 */
import { AssemblyOptions, assemblyPart, countSolids, renumberParts } from './step-assembly';
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
  tree.parts = rebuilt.parts;
  renumberParts(tree.parts);
  tree.root_parts = tree.parts.length;
  tree.total_parts = countSolids(tree.parts);
  return true;
}

interface Rebuilt {
  parts: StepPart[];
  changed: boolean;
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
  const pool = [...kernel];
  const take = (name: string, kind: 'assembly' | 'leaf'): StepPart | null => {
    const i = pool.findIndex(
      (p) => p.name === name && (kind === 'assembly') === (p.shape_type === 'assembly'),
    );
    return i < 0 ? null : pool.splice(i, 1)[0];
  };
  const parts: StepPart[] = [];
  let changed = false;
  for (const usage of product.children) {
    const node = usage.node;
    if (node.children.length === 0) {
      const leaf = take(node.name, 'leaf') ?? externalPart(node);
      if (!leaf) return null;
      if (leaf.shape_type === 'external') changed = true;
      parts.push(leaf);
      continue;
    }
    const existing = take(node.name, 'assembly');
    if (existing) {
      const inner = matchChildren(existing.children, node, opts, depth + 1);
      if (inner?.changed) {
        parts.push(assemblyPart(existing.name, existing.part_id, inner.parts, opts));
        changed = true;
      } else parts.push(existing);
      continue;
    }
    // the kernel dropped this level: gather its leaf solids from the pool
    const rebuilt = rebuildLevel(node, take, opts, depth + 1);
    if (!rebuilt) return null;
    parts.push(rebuilt);
    changed = true;
  }
  if (pool.length > 0) return null;
  return { parts, changed };
}

function rebuildLevel(
  node: ProductNode,
  take: (name: string, kind: 'assembly' | 'leaf') => StepPart | null,
  opts: AssemblyOptions,
  depth: number,
): StepPart | null {
  if (depth > MAX_DEPTH) return null;
  const children: StepPart[] = [];
  for (const usage of node.children) {
    const child = usage.node;
    const part =
      child.children.length === 0
        ? (take(child.name, 'leaf') ?? externalPart(child))
        : (take(child.name, 'assembly') ?? rebuildLevel(child, take, opts, depth + 1));
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
