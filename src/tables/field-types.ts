/** The value types a table field can have; imports coerce values to them. */
export const FIELD_TYPES = [
  'text',
  'number',
  'dimension',
  'date',
  'url',
  'email',
  'boolean',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}
