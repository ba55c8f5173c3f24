/**
 * The spatial tree (project, sites, buildings, storeys with elevations, spaces) and the lookup
 * "which storey holds this element", following containment, then aggregation/nesting upwards
 * (a stair flight in a stair, a space in a storey).
 */
import * as WebIFC from 'web-ifc';
import { IfcLine, IfcModelReader, numberOf, textOf } from './ifc-model-reader';
import { IfcBuilding, IfcSpace, IfcSpatialNode, IfcSpatialStructure, IfcStorey } from './ifc-types';

type SpatialKind = 'project' | 'site' | 'building' | 'storey' | 'space';

interface SpatialEntry {
  id: number;
  kind: SpatialKind;
  line: IfcLine;
}

export interface StoreyRef {
  id: number;
  name: string | null;
}

const MAX_HOPS = 32;

export class IfcSpatialIndex {
  private readonly entries = new Map<number, SpatialEntry>();

  constructor(private readonly reader: IfcModelReader) {
    const kinds: [SpatialKind, number][] = [
      ['project', WebIFC.IFCPROJECT],
      ['site', WebIFC.IFCSITE],
      ['building', WebIFC.IFCBUILDING],
      ['storey', WebIFC.IFCBUILDINGSTOREY],
      ['space', WebIFC.IFCSPACE],
    ];
    for (const [kind, code] of kinds) {
      for (const id of reader.idsOfClass(code)) {
        const line = reader.line(id);
        if (line) this.entries.set(id, { id, kind, line });
      }
    }
  }

  get projectName(): string | null {
    const project = this.ofKind('project')[0];
    return project ? (textOf(project.line.Name) ?? textOf(project.line.LongName)) : null;
  }

  /** The storey above `id` in the spatial tree, or null (element on a site, unassigned …). */
  storeyOf(id: number): StoreyRef | null {
    let current: number | undefined = id;
    for (let hop = 0; hop < MAX_HOPS && current !== undefined; hop += 1) {
      const entry = this.entries.get(current);
      if (entry?.kind === 'storey') return { id: entry.id, name: textOf(entry.line.Name) };
      if (entry && entry.kind !== 'space' && current !== id) return null; // reached building/site
      current =
        this.reader.containedIn.get(current) ??
        this.reader.aggregateParent.get(current) ??
        this.reader.nestParent.get(current);
    }
    return null;
  }

  /** The nearest ancestor of `kind` (by aggregation), or null. */
  private ancestorName(id: number, kind: SpatialKind): string | null {
    let current = this.reader.aggregateParent.get(id) ?? this.reader.containedIn.get(id);
    for (let hop = 0; hop < MAX_HOPS && current !== undefined; hop += 1) {
      const entry = this.entries.get(current);
      if (entry?.kind === kind) return textOf(entry.line.Name);
      current = this.reader.aggregateParent.get(current) ?? this.reader.containedIn.get(current);
    }
    return null;
  }

  structure(elementsPerStorey: Map<number, number>): IfcSpatialStructure {
    const project = this.ofKind('project')[0];
    const storeys: IfcStorey[] = this.ofKind('storey').map((e) => ({
      ...node(e.line),
      elevation: numberOf(e.line.Elevation),
      building: this.ancestorName(e.id, 'building'),
      element_count: elementsPerStorey.get(e.id) ?? 0,
    }));
    // lowest first; storeys without elevation keep file order at the end
    storeys.sort((a, b) => (a.elevation ?? Number.MAX_VALUE) - (b.elevation ?? Number.MAX_VALUE));
    const buildings: IfcBuilding[] = this.ofKind('building').map((e) => ({
      ...node(e.line),
      site: this.ancestorName(e.id, 'site'),
    }));
    const spaces: IfcSpace[] = this.ofKind('space').map((e) => ({
      ...node(e.line),
      storey: this.storeyOf(e.id)?.name ?? null,
    }));
    return {
      project: project ? node(project.line) : null,
      sites: this.ofKind('site').map((e) => node(e.line)),
      buildings,
      storeys,
      spaces,
    };
  }

  private ofKind(kind: SpatialKind): SpatialEntry[] {
    return [...this.entries.values()].filter((e) => e.kind === kind).sort((a, b) => a.id - b.id);
  }
}

function node(line: IfcLine): IfcSpatialNode {
  return {
    global_id: textOf(line.GlobalId),
    name: textOf(line.Name),
    description: textOf(line.Description),
    long_name: textOf(line.LongName),
  };
}
