/**
 * One element record per building element: identity, storey, property sets and quantities (the
 * type object's first, the occurrence's own overriding), materials (occurrence, else type).
 */
import * as WebIFC from 'web-ifc';
import { IfcLine, IfcModelReader, refsOf, textOf } from './ifc-model-reader';
import { IfcPropertyReader } from './ifc-property-reader';
import { IfcSpatialIndex } from './ifc-spatial';
import { IfcElement, IfcTypeObject } from './ifc-types';

export interface ElementReadOptions {
  properties: boolean;
  quantities: boolean;
  materials: boolean;
}

export interface ReadElement {
  id: number;
  storeyId: number | null;
  element: IfcElement;
}

export class IfcElementReader {
  /** Type objects are shared by many occurrences: read each once. */
  private readonly typeLines = new Map<number, IfcLine | null>();

  constructor(
    private readonly reader: IfcModelReader,
    private readonly props: IfcPropertyReader,
    private readonly spatial: IfcSpatialIndex,
    private readonly opts: ElementReadOptions,
  ) {}

  /**
   * Fetches the lines `read` will need for these elements (the elements, their not yet decoded
   * property/quantity sets and the properties inside) in three batched web-ifc calls.
   */
  prefetch(ids: number[]): void {
    this.reader.preload(ids);
    if (!this.opts.properties && !this.opts.quantities) return;
    const definitionIds = new Set<number>();
    for (const id of ids) {
      for (const defId of this.reader.propertyDefinitions.get(id) ?? []) {
        if (!this.props.isDecoded(defId)) definitionIds.add(defId);
      }
    }
    const definitions = this.reader.preload([...definitionIds]);
    this.reader.preload(
      definitions.flatMap((d) => [...refsOf(d.HasProperties), ...refsOf(d.Quantities)]),
    );
  }

  read(id: number): ReadElement | null {
    const line = this.reader.line(id);
    if (!line) return null;
    const storey = this.spatial.storeyOf(id);
    const typeId = this.reader.typeOf.get(id);
    const typeLine = typeId !== undefined ? this.typeLine(typeId) : null;
    const properties: IfcElement['properties'] = {};
    const quantities: IfcElement['quantities'] = {};
    if (this.opts.properties || this.opts.quantities) {
      const definitionIds = [
        ...(typeLine ? refsOf(typeLine.HasPropertySets) : []),
        ...(this.reader.propertyDefinitions.get(id) ?? []),
      ];
      for (const defId of definitionIds) {
        const def = this.props.definition(defId);
        if (!def) continue;
        if (def.kind === 'pset' && this.opts.properties)
          properties[def.name] = { ...(properties[def.name] ?? {}), ...def.properties };
        if (def.kind === 'qto' && this.opts.quantities)
          quantities[def.name] = { ...(quantities[def.name] ?? {}), ...def.quantities };
      }
    }
    let materials: string[] = [];
    if (this.opts.materials) {
      const materialId =
        this.reader.materialOf.get(id) ??
        (typeId !== undefined ? this.reader.materialOf.get(typeId) : undefined);
      if (materialId !== undefined) materials = this.props.materialNames(materialId);
    }
    return {
      id,
      storeyId: storey?.id ?? null,
      element: {
        global_id: textOf(line.GlobalId),
        ifc_class: this.reader.className(line),
        name: textOf(line.Name),
        description: textOf(line.Description),
        object_type: textOf(line.ObjectType),
        storey: storey?.name ?? null,
        properties,
        quantities,
        materials,
        type_name: typeLine ? textOf(typeLine.Name) : null,
      },
    };
  }

  private typeLine(typeId: number): IfcLine | null {
    if (!this.typeLines.has(typeId)) this.typeLines.set(typeId, this.reader.line(typeId));
    return this.typeLines.get(typeId) ?? null;
  }
}

/** Every type object of the model, with how many occurrences use it and its set names. */
export function readTypeObjects(reader: IfcModelReader, props: IfcPropertyReader): IfcTypeObject[] {
  const instances = new Map<number, number>();
  for (const typeId of reader.typeOf.values())
    instances.set(typeId, (instances.get(typeId) ?? 0) + 1);
  const out: IfcTypeObject[] = [];
  for (const id of reader.idsOfClass(WebIFC.IFCTYPEOBJECT)) {
    const line = reader.line(id);
    if (!line) continue;
    const setNames = refsOf(line.HasPropertySets)
      .map((defId) => props.definition(defId)?.name)
      .filter((n): n is string => typeof n === 'string');
    out.push({
      global_id: textOf(line.GlobalId),
      ifc_class: reader.className(line),
      name: textOf(line.Name),
      description: textOf(line.Description),
      predefined_type: textOf(line.PredefinedType),
      instance_count: instances.get(id) ?? 0,
      property_sets: setNames,
    });
  }
  return out;
}
