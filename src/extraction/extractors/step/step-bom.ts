/**
 * A bill of materials from the assembly tree: under each parent, occurrences of the same part
 * (same name and kind) collapse into one line whose quantity is the occurrence count. Repeated
 * sub-assemblies are expanded once (quantities stay per parent, as in an indented BOM).
 */
import { Bom, BOM_STANDARD_HEADERS, BomItem } from '../cad-result';
import { StepPart } from './step-types';

export const BOM_HEADERS = [...BOM_STANDARD_HEADERS];

export function buildStepBom(assemblyName: string, parts: StepPart[]): Bom | null {
  if (parts.length === 0) return null;
  const items: BomItem[] = [];
  const rootId = '1';
  const single =
    parts.length === 1 && parts[0].shape_type !== 'assembly' && parts[0].name === assemblyName;
  if (single) {
    // one part, no assembly around it: the BOM is that part alone
    items.push(item(rootId, assemblyName, 'part', 1, parts[0].material, null, 0));
  } else {
    items.push(item(rootId, assemblyName, 'assembly', 1, null, null, 0));
    addChildren(items, parts, rootId, 1);
  }
  const deepest = items.reduce((max, i) => Math.max(max, i.level), 0);
  return {
    items,
    headers: BOM_HEADERS,
    total_items: items.length,
    hierarchy_level: deepest + 1,
    is_flat: deepest <= 1,
  };
}

function addChildren(
  items: BomItem[],
  children: StepPart[],
  parentId: string,
  level: number,
): void {
  const groups = new Map<string, StepPart[]>();
  for (const child of children) {
    const key = `${child.shape_type}\u0000${child.name}`;
    const group = groups.get(key);
    if (group) group.push(child);
    else groups.set(key, [child]);
  }
  let n = 0;
  for (const group of groups.values()) {
    n += 1;
    const first = group[0];
    const id = `${parentId}.${n}`;
    const line = item(
      id,
      first.name,
      first.shape_type === 'assembly'
        ? 'assembly'
        : first.shape_type === 'external'
          ? 'external part'
          : 'part',
      group.length,
      first.material,
      parentId,
      level,
    );
    if (first.external_files) line.external_files = first.external_files;
    items.push(line);
    if (first.children.length > 0) addChildren(items, first.children, id, level + 1);
  }
}

function item(
  id: string,
  name: string,
  kind: string,
  quantity: number,
  material: string | null,
  parentId: string | null,
  level: number,
): BomItem {
  return {
    item_id: id,
    part_number: name,
    description: kind,
    quantity,
    material,
    revision: null,
    parent_id: parentId,
    level,
  };
}
