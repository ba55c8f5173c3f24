/**
 * Part materials from the STEP text, in the two ways CAD systems write them:
 * - MATERIAL_DESIGNATION('Steel', (#pd or #pds …)) (AP214/AP242);
 * - MAKE_FROM_USAGE_OPTION(…, #part_definition, #raw_material_definition, …) where the raw
 *   material is itself a PRODUCT (CAx-IF material recommendation, e.g. dm1-id-214).
 * Definitions are followed to their PRODUCT: PRODUCT_DEFINITION_SHAPE -> PRODUCT_DEFINITION ->
 * PRODUCT_DEFINITION_FORMATION -> PRODUCT.
 */
import { parseParameters, StepValue, stringOf } from './iso10303-syntax';

/** Entity types whose records the reader keeps for this module. */
export const MATERIAL_RECORD_TYPES = new Set([
  'MATERIAL_DESIGNATION',
  'MAKE_FROM_USAGE_OPTION',
  'PRODUCT_DEFINITION',
  'PRODUCT_DEFINITION_SHAPE',
  'PRODUCT_DEFINITION_FORMATION',
  'PRODUCT_DEFINITION_FORMATION_WITH_SPECIFIED_SOURCE',
]);

export interface KeptRecord {
  type: string;
  args: string;
}

/** Product name -> material names, for every product a material is assigned to. */
export function resolveMaterials(
  records: Map<number, KeptRecord>,
  productNames: Map<number, string>,
): Record<string, string[]> {
  const parsed = new Map<number, { type: string; args: StepValue[] }>();
  const get = (id: number) => {
    const record = records.get(id);
    if (!record) return null;
    let entry = parsed.get(id);
    if (!entry) {
      entry = { type: record.type, args: parseParameters(record.args) };
      parsed.set(id, entry);
    }
    return entry;
  };
  const refAt = (args: StepValue[], i: number): number | null => {
    const v = args[i];
    return v && v.kind === 'ref' ? v.value : null;
  };
  /** The product a definition, shape or formation belongs to. */
  const productOf = (id: number | null, depth = 0): number | null => {
    if (id === null || depth > 4) return null;
    if (productNames.has(id)) return id;
    const entry = get(id);
    if (!entry) return null;
    return productOf(refAt(entry.args, 2), depth + 1); // the 3rd attribute points one level up in each case
  };

  const out: Record<string, string[]> = {};
  const assign = (productId: number | null, material: string | null) => {
    const name = productId === null ? undefined : productNames.get(productId);
    if (name === undefined || !material) return;
    const list = out[name] ?? (out[name] = []);
    if (!list.includes(material)) list.push(material);
  };
  for (const [, record] of records) {
    if (record.type === 'MATERIAL_DESIGNATION') {
      const args = parseParameters(record.args);
      const material = stringOf(args[0]);
      const targets = args[1]?.kind === 'list' ? args[1].items : args[1] ? [args[1]] : [];
      for (const t of targets) if (t.kind === 'ref') assign(productOf(t.value), material);
    } else if (record.type === 'MAKE_FROM_USAGE_OPTION') {
      const args = parseParameters(record.args);
      const part = productOf(refAt(args, 3));
      const raw = productOf(refAt(args, 4));
      assign(part, raw === null ? null : (productNames.get(raw) ?? null));
    }
  }
  return out;
}
