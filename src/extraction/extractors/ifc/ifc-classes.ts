/**
 * IFC class catalogue from web-ifc's schema tables (no WASM needed): which classes count as
 * elements, and validation of the `element_types` option before any file is opened.
 */
import * as WebIFC from 'web-ifc';
import { ExtractionError } from '../extraction-error';

/** web-ifc's per-schema "type code -> all descendant type codes" tables, keyed "1".."3". */
const INHERITANCE = (
  WebIFC as unknown as { InheritanceDef: Record<string, Record<number, number[]>> }
).InheritanceDef;
const SCHEMA_NAMES = (WebIFC as unknown as { SchemaNames: string[][] }).SchemaNames;

/** Upper-case class name (IFCWALL) -> type code, from web-ifc's exported constants. */
const CODE_BY_UPPER_NAME = new Map<string, number>(
  Object.entries(WebIFC)
    .filter(
      (entry): entry is [string, number] =>
        /^IFC[A-Z0-9]+$/.test(entry[0]) && typeof entry[1] === 'number',
    )
    .map(([name, code]) => [name, code]),
);

export const SUPPORTED_SCHEMAS = ['IFC2X3', 'IFC4', 'IFC4X3'];

/** web-ifc's schema index for a FILE_SCHEMA name (IFC4X3_ADD2 -> index of IFC4X3), or -1. */
export function schemaIndex(schemaName: string): number {
  const upper = schemaName.toUpperCase();
  return SCHEMA_NAMES.findIndex((names) => Array.isArray(names) && names.includes(upper));
}

/** The family name to report (IFC4X3 for every IFC4X3_* variant, IFC4X1/2 included). */
export function schemaFamily(schemaName: string): string {
  const idx = schemaIndex(schemaName);
  return idx > 0 ? (SCHEMA_NAMES[idx][0] ?? schemaName) : schemaName.toUpperCase();
}

function descendants(schema: number, code: number): number[] {
  return INHERITANCE[String(schema)]?.[code] ?? [];
}

function allSchemas(): number[] {
  return Object.keys(INHERITANCE).map(Number);
}

/** Every class that is IfcElement or below it, in any supported schema. */
const ELEMENT_CODES = new Set<number>(
  allSchemas().flatMap((s) => [WebIFC.IFCELEMENT, ...descendants(s, WebIFC.IFCELEMENT)]),
);

/**
 * Validates `element_types` before the file is opened. Accepts names in any case, with or
 * without the "Ifc" prefix casing ("IfcWall", "IFCWALL", "ifcwall"), and abstract parents
 * (IfcBuildingElement) that stand for all their subclasses.
 */
export function parseElementTypes(raw: unknown): string[] | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const list = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw : null;
  if (!list || list.some((v) => typeof v !== 'string')) {
    throw new ExtractionError(
      'INVALID_OPTIONS',
      'Option "element_types" must be a list of IFC class names, e.g. ["IfcWall","IfcDoor"]',
    );
  }
  const names = (list as string[]).map((v) => v.trim()).filter((v) => v !== '');
  if (names.length === 0) return null;
  const unknown = names.filter((n) => !CODE_BY_UPPER_NAME.has(n.toUpperCase()));
  if (unknown.length > 0) {
    throw new ExtractionError(
      'INVALID_OPTIONS',
      `Option "element_types" names unknown IFC classes: ${unknown.join(', ')} (expected names such as IfcWall, IfcDoor, IfcBeam)`,
    );
  }
  const notElements = names.filter(
    (n) => !ELEMENT_CODES.has(CODE_BY_UPPER_NAME.get(n.toUpperCase()) as number),
  );
  if (notElements.length > 0) {
    throw new ExtractionError(
      'INVALID_OPTIONS',
      `Option "element_types" accepts element classes (IfcElement and its subclasses) only; not: ${notElements.join(', ')}`,
    );
  }
  return [...new Set(names.map((n) => n.toUpperCase()))];
}

/** Type codes of validated `element_types` names (upper case, from parseElementTypes). */
export function codesOfNames(names: string[]): number[] {
  return names.map((name) => CODE_BY_UPPER_NAME.get(name) as number);
}
