/** Rows an import reads from a result: flat records of scalar values, by record type. */

export type RowValue = string | number | boolean | null;
export type SourceRow = Record<string, RowValue>;

/** The rows of one record type of one result (row_index = position in `rows`). */
export interface RowSet {
  record_type: string;
  /** Every record type the result offers (non-empty ones first, in the format's order). */
  record_types: string[];
  rows: SourceRow[];
}

/** One record type of a format: how to read its rows from a result. */
export interface RecordTypeReader {
  name: string;
  read(result: Record<string, unknown>): SourceRow[];
  /**
   * Set when each row is one object of one list of the result: where the list is and how an
   * object becomes a row. Such rows can be streamed out of PostgreSQL (InlineResultRows).
   */
  list?: { path: string[]; row: (object: Record<string, unknown>) => SourceRow };
}

/** The objects in `result[key]` (absent or malformed = none: a partial result may lack it). */
export function objectsAt(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];
}

export function objectAt(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** A cell value: scalars as they are, lists of scalars joined with "; ", anything else as JSON. */
export function toRowValue(value: unknown): RowValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return value.length === 0 ? null : value.map((v) => String(v)).join('; ');
  }
  return JSON.stringify(value);
}

/**
 * A flat row from an object: nested objects become "outer.inner" columns, lists of scalars one
 * joined cell; `omit` drops geometry that means nothing in a table (bboxes, positions).
 */
export function flattenObject(
  object: Record<string, unknown>,
  omit: readonly string[] = [],
  prefix = '',
  into: SourceRow = {},
): SourceRow {
  for (const key in object) {
    if (!Object.prototype.hasOwnProperty.call(object, key) || omit.includes(key)) continue;
    const value = object[key];
    const name = prefix ? `${prefix}.${key}` : key;
    const nested = objectAt(value);
    if (nested) flattenObject(nested, [], name, into);
    else into[name] = toRowValue(value);
  }
  return into;
}

/** A reader that flattens every object of `result[key]`. */
export function listReader(
  name: string,
  key: string,
  omit: readonly string[] = ['bbox'],
): RecordTypeReader {
  const row = (o: Record<string, unknown>) => flattenObject(o, omit);
  return { name, read: (result) => objectsAt(result[key]).map(row), list: { path: [key], row } };
}

/** The title block as one row, custom fields beside the standard ones. */
export const titleBlockReader: RecordTypeReader = {
  name: 'title_block',
  read(result) {
    const block = objectAt(result.title_block);
    if (!block) return [];
    const { custom_fields: custom, ...standard } = block;
    const row = flattenObject(standard);
    for (const [key, value] of Object.entries(objectAt(custom) ?? {})) {
      if (!(key in row)) row[key] = toRowValue(value);
    }
    return Object.values(standard).some((v) => v !== null && v !== undefined) ||
      Object.keys(objectAt(custom) ?? {}).length > 0
      ? [row]
      : [];
  },
};

/** BOM items (BOM files, and the bom that PDF, DXF and STEP results may carry). */
export const bomItemsReader = (name: string): RecordTypeReader => ({
  name,
  read: (result) => objectsAt(objectAt(result.bom)?.items).map((item) => flattenObject(item)),
  list: { path: ['bom', 'items'], row: (item) => flattenObject(item) },
});
