/**
 * What `import_mode: validated_only` keeps of posted BOM items: an item names a part (part number
 * or description) and has a positive quantity. Anything else is reported, not imported.
 */
import { parseNumber } from './mapping/value-coercion';
import { RowError } from './import-plan';
import { RowValue, SourceRow } from './rows/source-row';

const filled = (v: RowValue | undefined) =>
  v !== null && v !== undefined && String(v).trim() !== '';

export function bomItemProblem(item: SourceRow): { field: string; message: string } | null {
  if (!filled(item.part_number) && !filled(item.description)) {
    return {
      field: 'part_number',
      message: 'The item has neither a part number nor a description',
    };
  }
  const q = item.quantity;
  const quantity = typeof q === 'number' ? q : typeof q === 'string' ? parseNumber(q) : null;
  if (quantity === null || !(quantity > 0)) {
    return {
      field: 'quantity',
      message: `${JSON.stringify(q ?? null)} is not a positive quantity`,
    };
  }
  return null;
}

/** Splits items into the indices to import and the errors of the others. */
export function validateBomItems(items: SourceRow[]): { valid: number[]; errors: RowError[] } {
  const valid: number[] = [];
  const errors: RowError[] = [];
  items.forEach((row, row_index) => {
    const problem = bomItemProblem(row);
    if (problem) errors.push({ row_index, row, ...problem });
    else valid.push(row_index);
  });
  return { valid, errors };
}
