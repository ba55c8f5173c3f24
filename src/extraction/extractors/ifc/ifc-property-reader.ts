/**
 * Decodes property definitions (IfcPropertySet, IfcElementQuantity) and material selects into
 * plain values, with caches: models share one set among many elements.
 */
import * as WebIFC from 'web-ifc';
import {
  IfcLine,
  IfcModelReader,
  numberOf,
  plainValue,
  refOf,
  refsOf,
  textOf,
} from './ifc-model-reader';
import { IfcPropertyValue, IfcQuantityValue } from './ifc-types';
import { IfcUnits } from './ifc-units';

export type PropertyDefinition =
  | { kind: 'pset'; name: string; properties: Record<string, IfcPropertyValue> }
  | { kind: 'qto'; name: string; quantities: Record<string, IfcQuantityValue> };

/** Quantity class -> [value attribute, unit type used when the quantity names no unit]. */
const QUANTITY_KINDS = new Map<number, [string, string | null]>([
  [WebIFC.IFCQUANTITYLENGTH, ['LengthValue', 'LENGTHUNIT']],
  [WebIFC.IFCQUANTITYAREA, ['AreaValue', 'AREAUNIT']],
  [WebIFC.IFCQUANTITYVOLUME, ['VolumeValue', 'VOLUMEUNIT']],
  [WebIFC.IFCQUANTITYCOUNT, ['CountValue', null]],
  [WebIFC.IFCQUANTITYWEIGHT, ['WeightValue', 'MASSUNIT']],
  [WebIFC.IFCQUANTITYTIME, ['TimeValue', 'TIMEUNIT']],
]);
const QUANTITY_NUMBER = (WebIFC as unknown as Record<string, number | undefined>).IFCQUANTITYNUMBER;
if (QUANTITY_NUMBER !== undefined) QUANTITY_KINDS.set(QUANTITY_NUMBER, ['NumberValue', null]);

/** Attributes that lead from a material select to the IfcMaterial entities inside it. */
const MATERIAL_LINKS = [
  'ForLayerSet',
  'ForProfileSet',
  'MaterialLayers',
  'MaterialProfiles',
  'MaterialConstituents',
  'Materials',
  'Material',
];

export class IfcPropertyReader {
  private readonly definitions = new Map<number, PropertyDefinition | null>();
  private readonly materials = new Map<number, string[]>();

  constructor(
    private readonly reader: IfcModelReader,
    private readonly units: IfcUnits,
  ) {}

  isDecoded(id: number): boolean {
    return this.definitions.has(id);
  }

  definition(id: number): PropertyDefinition | null {
    if (!this.definitions.has(id)) this.definitions.set(id, this.decodeDefinition(id));
    return this.definitions.get(id) ?? null;
  }

  /** Material names of a material select (IfcMaterial, layer sets, lists, constituents, profiles). */
  materialNames(id: number): string[] {
    const cached = this.materials.get(id);
    if (cached) return cached;
    const names = new Set<string>();
    this.collectMaterials(id, names, 0);
    const list = [...names];
    this.materials.set(id, list);
    return list;
  }

  private collectMaterials(id: number, names: Set<string>, depth: number): void {
    if (depth > 6) return;
    const line = this.reader.line(id);
    if (!line) return;
    if (line.type === WebIFC.IFCMATERIAL) {
      const name = textOf(line.Name);
      if (name) names.add(name);
      return;
    }
    for (const key of MATERIAL_LINKS) {
      if (key in line)
        for (const ref of refsOf(line[key])) this.collectMaterials(ref, names, depth + 1);
    }
  }

  private decodeDefinition(id: number): PropertyDefinition | null {
    const line = this.reader.line(id);
    if (!line) return null;
    const name = textOf(line.Name) ?? `#${id}`;
    if (line.type === WebIFC.IFCPROPERTYSET) {
      const properties: Record<string, IfcPropertyValue> = {};
      for (const propId of refsOf(line.HasProperties)) {
        const prop = this.reader.line(propId);
        const propName = prop ? textOf(prop.Name) : null;
        if (prop && propName) properties[propName] = this.propertyValue(prop, 0);
      }
      return { kind: 'pset', name, properties };
    }
    if (line.type === WebIFC.IFCELEMENTQUANTITY) {
      const quantities: Record<string, IfcQuantityValue> = {};
      for (const qId of refsOf(line.Quantities)) this.addQuantity(qId, quantities, '');
      return { kind: 'qto', name, quantities };
    }
    return null; // other predefined property sets (IfcDoorLiningProperties …) are not mapped
  }

  private addQuantity(id: number, into: Record<string, IfcQuantityValue>, prefix: string): void {
    const q = this.reader.line(id);
    if (!q) return;
    const name = `${prefix}${textOf(q.Name) ?? `#${id}`}`;
    if (q.type === WebIFC.IFCPHYSICALCOMPLEXQUANTITY) {
      for (const part of refsOf(q.HasQuantities)) this.addQuantity(part, into, `${name}.`);
      return;
    }
    const kind = QUANTITY_KINDS.get(q.type);
    if (!kind) return;
    const value = numberOf(q[kind[0]]);
    if (value === null) return;
    const ownUnit = refOf(q.Unit);
    const unit =
      ownUnit !== null
        ? this.units.symbolOf(ownUnit)
        : kind[1]
          ? (this.units.byType.get(kind[1])?.symbol ?? null)
          : null;
    into[name] = { value, unit };
  }

  private propertyValue(prop: IfcLine, depth: number): IfcPropertyValue {
    switch (prop.type) {
      case WebIFC.IFCPROPERTYSINGLEVALUE:
        return simple(prop.NominalValue);
      case WebIFC.IFCPROPERTYENUMERATEDVALUE:
        return listOf(prop.EnumerationValues);
      case WebIFC.IFCPROPERTYLISTVALUE:
        return listOf(prop.ListValues);
      case WebIFC.IFCPROPERTYBOUNDEDVALUE:
        return {
          lower: simple(prop.LowerBoundValue),
          upper: simple(prop.UpperBoundValue),
          ...(prop.SetPointValue !== undefined ? { set_point: simple(prop.SetPointValue) } : {}),
        };
      case WebIFC.IFCPROPERTYTABLEVALUE:
        return { defining: listOf(prop.DefiningValues), defined: listOf(prop.DefinedValues) };
      case WebIFC.IFCPROPERTYREFERENCEVALUE:
        return textOf(prop.UsageName);
      case WebIFC.IFCCOMPLEXPROPERTY: {
        if (depth > 4) return null;
        const out: Record<string, IfcPropertyValue> = {};
        for (const id of refsOf(prop.HasProperties)) {
          const inner = this.reader.line(id);
          const innerName = inner ? textOf(inner.Name) : null;
          if (inner && innerName) out[innerName] = this.propertyValue(inner, depth + 1);
        }
        return out;
      }
      default:
        return null;
    }
  }
}

function simple(value: unknown): IfcPropertyValue {
  const plain = plainValue(value);
  if (plain === null || plain === undefined) return null;
  if (typeof plain === 'string' || typeof plain === 'number' || typeof plain === 'boolean')
    return plain;
  if (Array.isArray(plain)) return plain as IfcPropertyValue[];
  return JSON.stringify(plain);
}

function listOf(value: unknown): IfcPropertyValue[] {
  return Array.isArray(value)
    ? value.map(simple)
    : value === null || value === undefined
      ? []
      : [simple(value)];
}
