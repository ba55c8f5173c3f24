/**
 * The product structure a STEP file declares in its text, independent of any geometry:
 * PRODUCT_DEFINITION -> PRODUCT_DEFINITION_FORMATION -> PRODUCT gives each definition its
 * product; NEXT_ASSEMBLY_USAGE_OCCURRENCE (relating = parent, related = child, one record per
 * placed occurrence) gives the tree; the root is the definition that is a parent and never a
 * child. Parts whose shape lives in another file (CAx-IF external references) name that file in a
 * DOCUMENT_FILE assigned by APPLIED_DOCUMENT_REFERENCE (AP214/AP242) or listed in a
 * PRODUCT_DEFINITION_WITH_ASSOCIATED_DOCUMENTS (AP203).
 */
import { refAt, refsAt, StepEntityGraph, StepRecord, textAt } from './step-entity-graph';

export const STRUCTURE_RECORD_TYPES = [
  'PRODUCT',
  'PRODUCT_DEFINITION_FORMATION',
  'PRODUCT_DEFINITION_FORMATION_WITH_SPECIFIED_SOURCE',
  'PRODUCT_DEFINITION',
  'PRODUCT_DEFINITION_WITH_ASSOCIATED_DOCUMENTS',
  'PRODUCT_DEFINITION_SHAPE',
  'NEXT_ASSEMBLY_USAGE_OCCURRENCE',
  'DOCUMENT_FILE',
  'APPLIED_DOCUMENT_REFERENCE',
];

const DEFINITION_TYPES = ['PRODUCT_DEFINITION', 'PRODUCT_DEFINITION_WITH_ASSOCIATED_DOCUMENTS'];

export interface ProductNode {
  /** PRODUCT_DEFINITION instance id. */
  definition: number;
  product_id: string;
  name: string;
  /** Files holding this product's shape (external references), empty when it is in this file. */
  external_files: string[];
  /** One entry per NAUO (placed occurrence), in file order. */
  children: ProductUsage[];
}

export interface ProductUsage {
  /** The occurrence's own name (NAUO name), e.g. "nut_3". */
  occurrence: string;
  node: ProductNode;
}

export interface ProductStructure {
  /** Definitions that are parents and never children, in file order. */
  roots: ProductNode[];
  /** The root with the most leaf occurrences: the assembly the file is about. */
  main: ProductNode | null;
  /** Definition id -> node, for every definition with a product. */
  byDefinition: Map<number, ProductNode>;
  /** Distinct external file names, in file order. */
  external_files: string[];
}

export function readProductStructure(graph: StepEntityGraph): ProductStructure {
  const byDefinition = new Map<number, ProductNode>();
  for (const pd of graph.ofType(...DEFINITION_TYPES)) {
    const product = productOf(graph, pd);
    if (!product) continue;
    byDefinition.set(pd.id, {
      definition: pd.id,
      product_id: textAt(product.args, 0),
      name: textAt(product.args, 1) || textAt(product.args, 0),
      external_files: [],
      children: [],
    });
  }

  const externalFiles: string[] = [];
  const attachFile = (definition: number | null, doc: number | null) => {
    const node = definition === null ? undefined : byDefinition.get(definition);
    const file = documentFileName(graph.get(doc));
    if (!node || !file) return;
    if (!node.external_files.includes(file)) node.external_files.push(file);
    if (!externalFiles.includes(file)) externalFiles.push(file);
  };
  for (const ref of graph.ofType('APPLIED_DOCUMENT_REFERENCE')) {
    for (const item of refsAt(ref.args, 2))
      attachFile(definitionOf(graph, item), refAt(ref.args, 0));
  }
  for (const pd of graph.ofType('PRODUCT_DEFINITION_WITH_ASSOCIATED_DOCUMENTS')) {
    for (const doc of refsAt(pd.args, 4)) attachFile(pd.id, doc);
  }

  const children = new Set<number>();
  const parents: number[] = [];
  for (const usage of graph.ofType('NEXT_ASSEMBLY_USAGE_OCCURRENCE')) {
    const parent = byDefinition.get(refAt(usage.args, 3) ?? -1);
    const child = byDefinition.get(refAt(usage.args, 4) ?? -1);
    if (!parent || !child || parent === child) continue;
    parent.children.push({ occurrence: textAt(usage.args, 1), node: child });
    children.add(child.definition);
    if (!parents.includes(parent.definition)) parents.push(parent.definition);
  }
  const roots = parents
    .filter((id) => !children.has(id))
    .sort((a, b) => a - b)
    .map((id) => byDefinition.get(id) as ProductNode);
  let main: ProductNode | null = null;
  let mainLeaves = -1;
  for (const root of roots) {
    const leaves = leafOccurrences(root).length;
    if (leaves > mainLeaves) {
      main = root;
      mainLeaves = leaves;
    }
  }
  return { roots, main, byDefinition, external_files: externalFiles };
}

/** The leaf products under `node` in depth-first order, one entry per occurrence. */
export function leafOccurrences(node: ProductNode, seen: Set<number> = new Set()): ProductNode[] {
  if (node.children.length === 0) return [node];
  if (seen.has(node.definition)) return []; // a cycle in a damaged file
  seen.add(node.definition);
  const out = node.children.flatMap((c) => leafOccurrences(c.node, seen));
  seen.delete(node.definition);
  return out;
}

function productOf(graph: StepEntityGraph, definition: StepRecord): StepRecord | null {
  const formation = graph.get(refAt(definition.args, 2));
  const product = graph.get(formation ? refAt(formation.args, 2) : null);
  return product && product.type === 'PRODUCT' ? product : null;
}

/** A PRODUCT_DEFINITION, or the definition a PRODUCT_DEFINITION_SHAPE describes. */
function definitionOf(graph: StepEntityGraph, id: number): number | null {
  const record = graph.get(id);
  if (!record) return null;
  if (DEFINITION_TYPES.includes(record.type)) return id;
  if (record.type === 'PRODUCT_DEFINITION_SHAPE')
    return definitionOf(graph, refAt(record.args, 2) ?? -1);
  return null;
}

/** DOCUMENT_FILE(id, name, …): the id is the file name in CAx-IF practice, else the name. */
function documentFileName(doc: StepRecord | null): string | null {
  if (!doc || doc.type !== 'DOCUMENT_FILE') return null;
  return textAt(doc.args, 0).trim() || textAt(doc.args, 1).trim() || null;
}
