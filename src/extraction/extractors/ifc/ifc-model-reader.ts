/**
 * Reads one open web-ifc model: lines by id, attribute values as plain JS, and an index of the
 * relationship entities built in a single pass (containment, aggregation, nesting, property and
 * type assignment, materials), so per-element lookups never scan the file again.
 */
import * as WebIFC from 'web-ifc';

/** A web-ifc line read without flattening: attributes are value handles or ref handles. */
export type IfcLine = Record<string, unknown> & { expressID: number; type: number };

const REF = 5;
/** Lines per batched web-ifc read. */
export const BATCH = 500;

export class IfcModelReader {
  readonly containedIn = new Map<number, number>();
  readonly aggregateParent = new Map<number, number>();
  readonly aggregateChildren = new Map<number, number[]>();
  readonly nestParent = new Map<number, number>();
  readonly nestChildren = new Map<number, number[]>();
  readonly propertyDefinitions = new Map<number, number[]>();
  readonly typeOf = new Map<number, number>();
  readonly materialOf = new Map<number, number>();

  constructor(
    readonly api: WebIFC.IfcAPI,
    readonly modelID: number,
  ) {
    this.indexRelations();
  }

  /** Lines fetched ahead in one batch (see preload), handed out once by `line`. */
  private readonly preloaded = new Map<number, IfcLine>();

  line(id: number): IfcLine | null {
    const ahead = this.preloaded.get(id);
    if (ahead) {
      this.preloaded.delete(id);
      return ahead;
    }
    try {
      const line = this.api.GetLine(this.modelID, id, false) as IfcLine | undefined;
      return line ?? null;
    } catch {
      return null; // a dangling reference in the file: treat as absent
    }
  }

  /**
   * Fetches `ids` in one web-ifc call (cheaper per line than one call each). If the batch fails
   * (one bad line throws for all) nothing is kept and `line` reads them one by one.
   */
  preload(ids: number[]): IfcLine[] {
    const missing = ids.filter((id) => !this.preloaded.has(id));
    if (missing.length === 0) return [];
    let lines: (IfcLine | undefined)[];
    try {
      lines = this.api.GetLines(this.modelID, missing, false) as (IfcLine | undefined)[];
    } catch {
      return [];
    }
    const out: IfcLine[] = [];
    for (const line of lines) {
      if (!line) continue;
      this.preloaded.set(line.expressID, line);
      out.push(line);
    }
    return out;
  }

  /** Drops preloaded lines nobody asked for (keeps memory bounded between batches). */
  clearPreloaded(): void {
    this.preloaded.clear();
  }

  className(line: IfcLine): string {
    return this.api.GetNameFromTypeCode(line.type);
  }

  /**
   * Ids of all lines of class `code` and its subclasses (web-ifc expands the inheritance for the
   * model's schema), in file order. One WASM call per class.
   */
  idsOfClass(code: number): number[] {
    const vector = this.api.GetLineIDsWithType(this.modelID, code, true);
    const size = vector.size();
    const out: number[] = new Array<number>(size);
    for (let i = 0; i < size; i += 1) out[i] = vector.get(i);
    // embind vectors hold WASM memory until deleted
    (vector as unknown as { delete?: () => void }).delete?.();
    return out.sort((a, b) => a - b);
  }

  private indexRelations(): void {
    this.forEachLine(WebIFC.IFCRELCONTAINEDINSPATIALSTRUCTURE, (rel) => {
      const structure = refOf(rel.RelatingStructure);
      if (structure !== null)
        for (const el of refsOf(rel.RelatedElements)) this.containedIn.set(el, structure);
    });
    this.forEachLine(WebIFC.IFCRELAGGREGATES, (rel) => {
      this.link(
        refOf(rel.RelatingObject),
        refsOf(rel.RelatedObjects),
        this.aggregateParent,
        this.aggregateChildren,
      );
    });
    this.forEachLine(WebIFC.IFCRELNESTS, (rel) => {
      this.link(
        refOf(rel.RelatingObject),
        refsOf(rel.RelatedObjects),
        this.nestParent,
        this.nestChildren,
      );
    });
    this.forEachLine(WebIFC.IFCRELDEFINESBYPROPERTIES, (rel) => {
      // IFC4 allows a set of definitions here (IfcPropertySetDefinitionSet): take every ref
      for (const definition of refsOf(rel.RelatingPropertyDefinition)) {
        for (const obj of refsOf(rel.RelatedObjects)) {
          const list = this.propertyDefinitions.get(obj);
          if (list) list.push(definition);
          else this.propertyDefinitions.set(obj, [definition]);
        }
      }
    });
    this.forEachLine(WebIFC.IFCRELDEFINESBYTYPE, (rel) => {
      const type = refOf(rel.RelatingType);
      if (type !== null) for (const obj of refsOf(rel.RelatedObjects)) this.typeOf.set(obj, type);
    });
    this.forEachLine(WebIFC.IFCRELASSOCIATESMATERIAL, (rel) => {
      const material = refOf(rel.RelatingMaterial);
      if (material !== null)
        for (const obj of refsOf(rel.RelatedObjects)) this.materialOf.set(obj, material);
    });
  }

  private link(
    parent: number | null,
    children: number[],
    parentOf: Map<number, number>,
    childrenOf: Map<number, number[]>,
  ): void {
    if (parent === null) return;
    const list = childrenOf.get(parent) ?? [];
    for (const child of children) {
      parentOf.set(child, parent);
      list.push(child);
    }
    childrenOf.set(parent, list);
  }

  private forEachLine(code: number, visit: (line: IfcLine) => void): void {
    const ids = this.idsOfClass(code);
    for (let start = 0; start < ids.length; start += BATCH) {
      const chunk = ids.slice(start, start + BATCH);
      this.preload(chunk);
      for (const id of chunk) {
        const line = this.line(id);
        if (line) visit(line);
      }
      this.clearPreloaded();
    }
  }
}

/** The id a ref attribute points to, or null. */
export function refOf(value: unknown): number | null {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const handle = value as { type?: number; value?: unknown; expressID?: number };
    if (handle.type === REF && typeof handle.value === 'number') return handle.value;
    if (typeof handle.expressID === 'number') return handle.expressID;
  }
  return null;
}

/** The ids of a list-of-refs attribute (a single ref gives a list of one). */
export function refsOf(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(refOf).filter((v): v is number => v !== null);
  const single = refOf(value);
  return single === null ? [] : [single];
}

/** A simple attribute (label, real, enum, boolean…) as a plain value; lists become arrays. */
export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(plainValue);
  if (typeof value === 'object') {
    const handle = value as { type?: number; value?: unknown };
    if (handle.type === REF) return null;
    const inner = handle.value;
    if (inner === undefined) return null;
    if (typeof inner === 'string') return decodeIfcString(inner);
    return inner;
  }
  return value;
}

/** A text attribute, or null when absent or empty. */
export function textOf(value: unknown): string | null {
  const plain = plainValue(value);
  if (typeof plain !== 'string' && typeof plain !== 'number' && typeof plain !== 'boolean')
    return null;
  const text = String(plain);
  return text === '' ? null : text;
}

/** A numeric attribute, or null. */
export function numberOf(value: unknown): number | null {
  const plain = plainValue(value);
  if (typeof plain === 'number' && Number.isFinite(plain)) return plain;
  if (typeof plain === 'string' && plain.trim() !== '' && Number.isFinite(Number(plain)))
    return Number(plain);
  return null;
}

/** web-ifc leaves \X2\…\X0\ escapes in strings of some files: decode them. */
function decodeIfcString(text: string): string {
  if (!text.includes('\\X')) return text;
  return text
    .replace(/\\X2\\([0-9A-Fa-f]*)\\X0\\/g, (_m, hex: string) => {
      let out = '';
      for (let i = 0; i + 4 <= hex.length; i += 4)
        out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
      return out;
    })
    .replace(/\\X\\([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
