/**
 * Block list for the envelope, and the nesting analysis: how many entities a block holds once its
 * nested inserts are expanded, how deep the nesting goes, and which blocks insert themselves
 * (directly or through others). The walk is iterative with memoisation, so recursive or very deep
 * block references can neither loop nor overflow the stack.
 */
import { CadBlock } from '../cad-result';
import { BlockDef, InsertRecord } from './dxf-scanner';

export interface DxfBlock extends CadBlock {
  /** References to this block from inside other block definitions. */
  nested_insert_count: number;
  /** Entities once nested inserts are expanded (INSERTs replaced by their content); null if recursive. */
  expanded_entity_count: number | null;
  /** Longest chain of nested inserts below this block (0 = none); null if recursive. */
  nesting_depth: number | null;
  is_recursive: boolean;
  is_xref: boolean;
  xref_path: string | null;
  attribute_definitions: { tag: string; default_value: string; prompt: string | null }[];
}

interface Analysis {
  expanded: number | null;
  depth: number | null;
  recursive: boolean;
}

/** True for the layout blocks *Model_Space, *Paper_Space, *Paper_Space0 … (any case). */
export function isLayoutBlock(b: BlockDef): boolean {
  return /^\*(model|paper)_space\d*$/i.test(b.name);
}

/** True for layout and anonymous blocks (*Model_Space, *Paper_Space0, *D12, *U3 …). */
export function isAnonymousBlock(b: BlockDef): boolean {
  return b.name.startsWith('*') || (b.flags & 1) === 1;
}

export function analyseBlocks(blocks: BlockDef[], warnings: Set<string>): Map<string, Analysis> {
  const byName = new Map(blocks.map((b) => [b.name, b]));
  const result = new Map<string, Analysis>();
  const onStack = new Set<string>();
  const recursive = new Set<string>();
  const missing = new Set<string>();
  for (const root of blocks) {
    if (result.has(root.name)) continue;
    const stack: { name: string; children: string[]; i: number }[] = [];
    const push = (name: string) => {
      onStack.add(name);
      stack.push({ name, children: [...(byName.get(name)?.refs.keys() ?? [])], i: 0 });
    };
    push(root.name);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i < top.children.length) {
        const child = top.children[top.i++];
        if (!byName.has(child)) missing.add(child);
        else if (onStack.has(child)) recursive.add(child);
        else if (!result.has(child)) push(child);
        continue;
      }
      stack.pop();
      onStack.delete(top.name);
      result.set(
        top.name,
        combine(byName.get(top.name) as BlockDef, byName, result, onStack, recursive),
      );
    }
  }
  for (const name of recursive) {
    warnings.add(`Block "${name}" inserts itself (directly or through other blocks): not expanded`);
  }
  for (const name of [...missing].slice(0, 20)) {
    warnings.add(`A block definition inserts the undefined block "${name}"`);
  }
  return result;
}

function combine(
  block: BlockDef,
  byName: Map<string, BlockDef>,
  done: Map<string, Analysis>,
  onStack: Set<string>,
  recursive: Set<string>,
): Analysis {
  let insertCount = 0;
  let expanded: number | null = 0;
  let depth: number | null = 0;
  let isRecursive = recursive.has(block.name);
  for (const [child, count] of block.refs) {
    insertCount += count;
    if (!byName.has(child)) continue;
    const a = onStack.has(child) || child === block.name ? null : done.get(child);
    if (!a || a.expanded === null || a.depth === null) {
      isRecursive = true;
      expanded = null;
      depth = null;
      continue;
    }
    if (expanded !== null)
      expanded = Math.min(expanded + count * a.expanded, Number.MAX_SAFE_INTEGER);
    if (depth !== null) depth = Math.max(depth, a.depth + 1);
  }
  if (expanded !== null) expanded += block.entityCount - insertCount;
  return { expanded, depth, recursive: isRecursive };
}

export function buildBlockList(
  blocks: BlockDef[],
  insertCounts: Map<string, number>,
  inserts: InsertRecord[],
  warnings: Set<string>,
): DxfBlock[] {
  const analysis = analyseBlocks(blocks, warnings);
  const nested = new Map<string, number>();
  for (const b of blocks) {
    for (const [child, n] of b.refs) nested.set(child, (nested.get(child) ?? 0) + n);
  }
  const firstAttributes = new Map<string, { tag: string; value: string }[]>();
  for (const ins of inserts) {
    if (!firstAttributes.has(ins.block) && ins.attributes.length) {
      firstAttributes.set(ins.block, ins.attributes);
    }
  }
  return blocks
    .filter((b) => !isAnonymousBlock(b))
    .map((b) => {
      const a = analysis.get(b.name);
      return {
        name: b.name,
        insert_count: insertCounts.get(b.name) ?? 0,
        base_point: b.base,
        attributes: firstAttributes.get(b.name) ?? [],
        entity_count: b.entityCount,
        nested_insert_count: nested.get(b.name) ?? 0,
        expanded_entity_count: a?.expanded ?? null,
        nesting_depth: a?.depth ?? null,
        is_recursive: a?.recursive ?? false,
        is_xref: (b.flags & 4) === 4,
        xref_path: b.xrefPath,
        attribute_definitions: b.attdefs,
      };
    });
}
