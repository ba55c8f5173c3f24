/**
 * The part of a STEP file's entity graph that the product-structure and validation-property
 * readers need: records of chosen types, kept as raw parameter text during the reader's single
 * pass and parsed on first use. Records of other types (millions of points and edges in a large
 * file) are not kept; the reader's `fetchRecords` adds a few of them by id in a second pass when a
 * caller needs them (`missing` names them).
 */
import { parseParameters, StepValue, stringOf } from './iso10303-syntax';

export interface StepRecord {
  id: number;
  /** Entity type; for a complex instance the first part's type. */
  type: string;
  args: StepValue[];
  /** Complex instances `(A(..)B(..))`: each part's type and parameters. */
  parts?: { type: string; args: StepValue[] }[];
}

interface RawRecord {
  type: string;
  args: string;
  complex?: { type: string; args: string }[];
}

export class StepEntityGraph {
  private readonly raw = new Map<number, RawRecord>();
  private readonly parsed = new Map<number, StepRecord>();
  private readonly byType = new Map<string, number[]>();

  constructor(private readonly keptTypes: ReadonlySet<string>) {}

  /** Whether records of this type are kept (the reader skips parsing the others). */
  wants(type: string): boolean {
    return this.keptTypes.has(type);
  }

  /** Keeps a simple record `#id=TYPE(args)`; `args` is the text inside the parentheses. */
  keep(id: number, type: string, args: string): void {
    this.raw.set(id, { type, args });
    this.index(id, type);
  }

  /** Keeps a complex record `#id=(A(..)B(..))` when one of its parts is wanted. */
  keepComplex(id: number, parts: { type: string; args: string }[]): void {
    if (parts.length === 0) return;
    this.raw.set(id, { type: parts[0].type, args: parts[0].args, complex: parts });
    for (const part of parts) this.index(id, part.type);
  }

  get(id: number | null): StepRecord | null {
    if (id === null) return null;
    const done = this.parsed.get(id);
    if (done) return done;
    const raw = this.raw.get(id);
    if (!raw) return null;
    const record: StepRecord = {
      id,
      type: raw.type,
      args: parseParameters(raw.args),
      parts: raw.complex?.map((p) => ({ type: p.type, args: parseParameters(p.args) })),
    };
    this.parsed.set(id, record);
    return record;
  }

  /** Records of the given types (simple, or complex with such a part), in file order. */
  ofType(...types: string[]): StepRecord[] {
    const ids = types.flatMap((t) => this.byType.get(t) ?? []);
    return [...new Set(ids)]
      .sort((a, b) => a - b)
      .map((id) => this.get(id))
      .filter((r): r is StepRecord => r !== null);
  }

  /** The ids among `ids` that are not kept yet (candidates for `fetch`). */
  missing(ids: Iterable<number>): number[] {
    return [...ids].filter((id) => !this.raw.has(id));
  }

  private index(id: number, type: string): void {
    const list = this.byType.get(type);
    if (list) list.push(id);
    else this.byType.set(type, [id]);
  }
}

/** The reference at parameter `i`, or null. */
export function refAt(args: StepValue[], i: number): number | null {
  const v = args[i];
  return v && v.kind === 'ref' ? v.value : null;
}

/** The references of a list parameter (a single reference counts as a list of one). */
export function refsAt(args: StepValue[], i: number): number[] {
  const v = args[i];
  if (!v) return [];
  if (v.kind === 'ref') return [v.value];
  if (v.kind !== 'list') return [];
  return v.items.flatMap((item) => (item.kind === 'ref' ? [item.value] : []));
}

/** The string at parameter `i`, '' when absent. */
export function textAt(args: StepValue[], i: number): string {
  return stringOf(args[i]) ?? '';
}

/** A number written plainly or as a typed measure, e.g. VOLUME_MEASURE(12.5). */
export function measureOf(value: StepValue | undefined): { type: string; value: number } | null {
  if (!value) return null;
  if (value.kind === 'number') return { type: '', value: value.value };
  if (value.kind === 'typed' && value.args[0]?.kind === 'number')
    return { type: value.type, value: value.args[0].value };
  return null;
}

/** The numbers of a list parameter, e.g. CARTESIAN_POINT coordinates. */
export function numbersAt(args: StepValue[], i: number): number[] {
  const v = args[i];
  if (!v || v.kind !== 'list') return [];
  return v.items.flatMap((item) => (item.kind === 'number' ? [item.value] : []));
}
