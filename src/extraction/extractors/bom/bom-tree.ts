/**
 * Pure functions on BomItem[]: build a Bom (levels, parents, summary) and flatten it (path,
 * rolled-up "inducted" quantity, level prefix, parent reference, aggregation). Other extractors
 * (DXF block attributes, IFC aggregation, STEP assembly tree) use them on their own items.
 */
import { Bom, BOM_STANDARD_HEADERS, BomItem } from '../cad-result';
import { FlattenOptions } from './bom-types';

const STANDARD_FIELDS = BOM_STANDARD_HEADERS;

/**
 * Makes a consistent Bom from items that carry parent_id (and maybe level): levels are recomputed
 * from the parent chain (roots = 1), unknown parents and cycles become roots. Returns new objects.
 */
export function buildBom(items: BomItem[], headers?: string[]): Bom {
  const byId = new Map<string, BomItem>();
  for (const item of items) if (!byId.has(item.item_id)) byId.set(item.item_id, item);
  const levels = new Map<string, number>();
  const levelOf = (item: BomItem): number => {
    const known = levels.get(item.item_id);
    if (known !== undefined) return known;
    const seen = new Set<string>([item.item_id]);
    const chain: BomItem[] = [item];
    let current = item;
    let base = 0;
    while (current.parent_id !== null) {
      const parent = byId.get(current.parent_id);
      if (!parent || seen.has(parent.item_id)) break;
      const parentLevel = levels.get(parent.item_id);
      if (parentLevel !== undefined) {
        base = parentLevel;
        break;
      }
      seen.add(parent.item_id);
      chain.push(parent);
      current = parent;
    }
    for (let i = chain.length - 1, depth = base + 1; i >= 0; i--, depth++)
      levels.set(chain[i].item_id, depth);
    return levels.get(item.item_id) as number;
  };
  const built = items.map((item): BomItem => {
    const parentOk =
      item.parent_id !== null && byId.has(item.parent_id) && item.parent_id !== item.item_id;
    return { ...item, parent_id: parentOk ? item.parent_id : null };
  });
  // A cycle (A -> B -> A) has no root: cut it at the first member met.
  const rebuilt = new Map(built.map((item) => [item.item_id, item]));
  for (const item of built) {
    const seen = new Set<string>();
    let current: BomItem | undefined = item;
    while (current && current.parent_id !== null) {
      if (seen.has(current.item_id)) {
        current.parent_id = null;
        break;
      }
      seen.add(current.item_id);
      current = rebuilt.get(current.parent_id);
    }
  }
  byId.clear();
  for (const item of built) if (!byId.has(item.item_id)) byId.set(item.item_id, item);
  for (const item of built) item.level = levelOf(item);
  const hierarchyLevel = built.reduce((max, item) => Math.max(max, item.level), 0);
  return {
    items: built,
    headers: headers ?? headersOf(built),
    total_items: built.length,
    hierarchy_level: hierarchyLevel,
    is_flat: hierarchyLevel <= 1,
  };
}

function headersOf(items: BomItem[]): string[] {
  const extra = new Set<string>();
  for (const item of items)
    for (const key of Object.keys(item)) if (!STANDARD_FIELDS.includes(key)) extra.add(key);
  return [...STANDARD_FIELDS, ...extra];
}

/** Name used in paths and parent references: part number, else description, else item id. */
function labelOf(item: BomItem): string {
  return item.part_number ?? item.description ?? item.item_id;
}

/** Rounds away float noise of products (0.1 × 3 = 0.30000000000000004). */
function tidy(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/**
 * Adds the flattening fields to every item (input order kept): `path` ("A > B > C"), `inducted`
 * (quantity × every ancestor's quantity), `level_prefix` ("." × level + level, e.g. "..2") and
 * `parent_reference` (the parent's part number). With `aggregate`, returns instead one item per
 * part number with the summed inducted quantity.
 */
export function flattenBom(bom: Bom, options: FlattenOptions = {}): Bom {
  const opts = {
    include_path: options.include_path ?? true,
    include_inducted: options.include_inducted ?? true,
    include_level_prefix: options.include_level_prefix ?? true,
    include_parent_reference: options.include_parent_reference ?? true,
    aggregate: options.aggregate ?? false,
  };
  const byId = new Map<string, BomItem>();
  for (const item of bom.items) if (!byId.has(item.item_id)) byId.set(item.item_id, item);
  const ancestry = (item: BomItem): BomItem[] => {
    const chain: BomItem[] = [];
    const seen = new Set<string>();
    let current: BomItem | undefined = item;
    while (current && !seen.has(current.item_id)) {
      chain.unshift(current);
      seen.add(current.item_id);
      current = current.parent_id !== null ? byId.get(current.parent_id) : undefined;
    }
    return chain;
  };
  const flattened = bom.items.map((item): BomItem => {
    const chain = ancestry(item);
    const inducted = tidy(chain.reduce((product, node) => product * node.quantity, 1));
    const out: BomItem = { ...item };
    if (opts.include_path) out.path = chain.map(labelOf).join(' > ');
    if (opts.include_inducted) out.inducted = inducted;
    if (opts.include_level_prefix) out.level_prefix = '.'.repeat(item.level) + String(item.level);
    if (opts.include_parent_reference) {
      const parent = item.parent_id !== null ? byId.get(item.parent_id) : undefined;
      out.parent_reference = parent ? labelOf(parent) : null;
    }
    return opts.aggregate ? { ...out, inducted } : out;
  });
  if (opts.aggregate) return aggregateBom(flattened, opts.include_inducted);
  const extra = ['path', 'inducted', 'level_prefix', 'parent_reference'].filter(
    (key) => opts[`include_${key}` as keyof typeof opts],
  );
  return {
    ...bom,
    items: flattened,
    headers: [...bom.headers, ...extra.filter((k) => !bom.headers.includes(k))],
  };
}

/**
 * One row per part number (items without one stay separate), quantity = sum of inducted
 * quantities, `occurrences` = how many rows were merged, `revisions` listed when they differ.
 */
function aggregateBom(items: BomItem[], keepInducted: boolean): Bom {
  const groups = new Map<string, BomItem[]>();
  for (const item of items) {
    const key = item.part_number !== null ? `pn:${item.part_number}` : `id:${item.item_id}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const aggregated: BomItem[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    const total = tidy(group.reduce((sum, item) => sum + (item.inducted as number), 0));
    const revisions = [
      ...new Set(group.map((item) => item.revision).filter((rev) => rev !== null)),
    ];
    const row: BomItem = {
      item_id: first.part_number ?? first.item_id,
      part_number: first.part_number,
      description: group.find((item) => item.description !== null)?.description ?? null,
      quantity: total,
      material: group.find((item) => item.material !== null)?.material ?? null,
      revision: revisions.length === 1 ? revisions[0] : null,
      parent_id: null,
      level: 1,
      occurrences: group.length,
    };
    if (revisions.length > 1) row.revisions = revisions;
    if (keepInducted) row.inducted = total;
    aggregated.push(row);
  }
  return buildBom(aggregated, [
    ...STANDARD_FIELDS,
    'occurrences',
    ...(keepInducted ? ['inducted'] : []),
  ]);
}
