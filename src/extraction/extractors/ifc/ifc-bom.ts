/**
 * A bill of materials from element decomposition (IfcRelAggregates, IfcRelNests): a stair and
 * its flights, a curtain wall and its plates and members, an element assembly and its parts.
 * Siblings of the same class and type (or name, when untyped) collapse into one line whose
 * quantity is their count. Spatial aggregation (project/site/building/storey) is not a BOM.
 */
import { Bom, BOM_STANDARD_HEADERS, BomItem } from '../cad-result';
import { IfcModelReader, textOf } from './ifc-model-reader';

export const IFC_BOM_HEADERS = [...BOM_STANDARD_HEADERS, 'ifc_class'];

interface BomNode {
  id: number;
  ifcClass: string;
  label: string;
  material: string | null;
}

const MAX_DEPTH = 16;

export function buildIfcBom(
  reader: IfcModelReader,
  isElement: (id: number) => boolean,
  materialOf: (id: number) => string | null,
): Bom | null {
  const childrenOf = (id: number): number[] => [
    ...(reader.aggregateChildren.get(id) ?? []),
    ...(reader.nestChildren.get(id) ?? []),
  ];
  const parentOf = (id: number): number | undefined =>
    reader.aggregateParent.get(id) ?? reader.nestParent.get(id);
  const roots = [...new Set([...reader.aggregateChildren.keys(), ...reader.nestChildren.keys()])]
    .filter((id) => isElement(id))
    .filter((id) => {
      const parent = parentOf(id);
      return parent === undefined || !isElement(parent);
    })
    .sort((a, b) => a - b);
  if (roots.length === 0) return null;

  const describe = (id: number): BomNode | null => {
    const line = reader.line(id);
    if (!line) return null;
    const typeId = reader.typeOf.get(id);
    const typeName = typeId !== undefined ? textOf(reader.line(typeId)?.Name) : null;
    return {
      id,
      ifcClass: reader.className(line),
      label: typeName ?? textOf(line.Name) ?? reader.className(line),
      material: materialOf(id),
    };
  };

  const items: BomItem[] = [];
  const addGroup = (
    ids: number[],
    parentId: string | null,
    level: number,
    prefix: string,
  ): void => {
    const groups = new Map<string, BomNode[]>();
    for (const id of ids) {
      const node = describe(id);
      if (!node) continue;
      const key = `${node.ifcClass}\u0000${node.label}`;
      const group = groups.get(key);
      if (group) group.push(node);
      else groups.set(key, [node]);
    }
    let n = 0;
    for (const group of groups.values()) {
      n += 1;
      const first = group[0];
      const itemId = prefix ? `${prefix}.${n}` : `${n}`;
      items.push({
        item_id: itemId,
        part_number: first.label,
        description: first.ifcClass,
        quantity: group.length,
        material: first.material,
        revision: null,
        parent_id: parentId,
        level,
        ifc_class: first.ifcClass,
      });
      const children = childrenOf(first.id);
      if (children.length > 0 && level < MAX_DEPTH) addGroup(children, itemId, level + 1, itemId);
    }
  };
  addGroup(roots, null, 0, '');
  const deepest = items.reduce((max, i) => Math.max(max, i.level), 0);
  return {
    items,
    headers: IFC_BOM_HEADERS,
    total_items: items.length,
    hierarchy_level: deepest + 1,
    is_flat: deepest === 0,
  };
}
