/**
 * Our own plain-text reader of a STEP (ISO 10303-21) file: header, entity counts by type,
 * product names and units. It needs no geometry kernel, so it still answers for files whose
 * geometry OpenCASCADE cannot read.
 */
import { parseParameters, StepValue, stringOf, stringsOf } from './iso10303-syntax';
import { StepEntityGraph } from './step-entity-graph';
import { KeptRecord, MATERIAL_RECORD_TYPES, resolveMaterials } from './step-materials';
import { STRUCTURE_RECORD_TYPES } from './step-product-structure';
import { VALIDATION_RECORD_TYPES } from './step-validation-properties';

export interface StepHeader {
  description: string[];
  file_name: string | null;
  timestamp: string | null;
  author: string[];
  organization: string[];
  preprocessor_version: string | null;
  originating_system: string | null;
  authorization: string | null;
  schema: string[];
}

export interface StepLengthUnit {
  /** Name as the file writes it, e.g. "MILLIMETRE", "INCH". */
  name: string;
  /** Short symbol: mm, cm, m, in, ft … */
  symbol: string;
  /** Metres per unit. */
  metres: number;
}

export interface StepProduct {
  entity_id: number;
  id: string;
  name: string;
  description: string | null;
}

export interface StepFileSummary {
  header: StepHeader;
  entity_counts: Record<string, number>;
  total_entities: number;
  products: StepProduct[];
  length_unit: StepLengthUnit | null;
  angle_unit: string | null;
  /** Records the reader could not understand (kept short for warnings). */
  malformed_records: number;
  /** Product name -> material names (MATERIAL_DESIGNATION, MAKE_FROM_USAGE_OPTION). */
  materials: Record<string, string[]>;
  /** Product structure and validation-property records, for step-product-structure and co. */
  graph: StepEntityGraph;
  /** Every length unit instance by id (DERIVED_UNIT elements point at them). */
  length_units_by_id: Map<number, StepLengthUnit>;
  /** Loads records the first pass did not keep, by id (a second pass over the text). */
  fetchRecords: (ids: number[]) => void;
}

const GRAPH_RECORD_TYPES = new Set([...STRUCTURE_RECORD_TYPES, ...VALIDATION_RECORD_TYPES]);

const SI_PREFIX: Record<string, number> = {
  EXA: 1e18,
  PETA: 1e15,
  TERA: 1e12,
  GIGA: 1e9,
  MEGA: 1e6,
  KILO: 1e3,
  HECTO: 1e2,
  DECA: 1e1,
  DECI: 1e-1,
  CENTI: 1e-2,
  MILLI: 1e-3,
  MICRO: 1e-6,
  NANO: 1e-9,
  PICO: 1e-12,
};
const PREFIX_SYMBOL: Record<string, string> = {
  KILO: 'k',
  CENTI: 'c',
  MILLI: 'm',
  MICRO: 'µ',
  DECI: 'd',
  NANO: 'n',
};
const CONVERSION_UNITS: Record<string, { symbol: string; metres: number }> = {
  INCH: { symbol: 'in', metres: 0.0254 },
  FOOT: { symbol: 'ft', metres: 0.3048 },
  YARD: { symbol: 'yd', metres: 0.9144 },
  MILE: { symbol: 'mi', metres: 1609.344 },
};

export function parseStepHeader(headerText: string): StepHeader {
  const header: StepHeader = {
    description: [],
    file_name: null,
    timestamp: null,
    author: [],
    organization: [],
    preprocessor_version: null,
    originating_system: null,
    authorization: null,
    schema: [],
  };
  for (const statement of splitStatements(headerText, 0)) {
    const m = /^\s*([A-Z_]+)\s*\(([\s\S]*)\)\s*$/i.exec(statement);
    if (!m) continue;
    const args = parseParameters(m[2]);
    switch (m[1].toUpperCase()) {
      case 'FILE_DESCRIPTION':
        header.description = stringsOf(args[0]);
        break;
      case 'FILE_NAME':
        header.file_name = stringOf(args[0]);
        header.timestamp = stringOf(args[1]);
        header.author = stringsOf(args[2]);
        header.organization = stringsOf(args[3]);
        header.preprocessor_version = emptyToNull(stringOf(args[4]));
        header.originating_system = emptyToNull(stringOf(args[5]));
        header.authorization = emptyToNull(stringOf(args[6]));
        break;
      case 'FILE_SCHEMA':
        header.schema = stringsOf(args[0]);
        break;
      default:
        break;
    }
  }
  return header;
}

/** Reads the whole text. `onRecord` lets callers report progress every few thousand records. */
export function readStepFile(
  text: string,
  headerText: string,
  onRecord?: (done: number) => void,
): StepFileSummary {
  const counts = new Map<string, number>();
  const products: StepProduct[] = [];
  const kept = new Map<number, KeptRecord>();
  const lengthUnits = new Map<number, StepLengthUnit>();
  const angleUnits = new Map<number, string>();
  const contextUnitRefs: number[] = [];
  const graph = new StepEntityGraph(GRAPH_RECORD_TYPES);
  let malformed = 0;
  let total = 0;
  const dataStart = text.search(/\bDATA\s*;/);
  const from = dataStart < 0 ? text.length : dataStart + 5;
  for (const statement of splitStatements(text, from)) {
    const eq = statement.indexOf('=');
    const trimmed = statement.trimStart();
    if (!trimmed.startsWith('#') || eq < 0) {
      if (/^\s*(ENDSEC|END-ISO-10303-21)\s*$/.test(statement) || trimmed === '') continue;
      malformed += 1;
      continue;
    }
    const id = Number(trimmed.slice(1, trimmed.indexOf('=')).trim());
    const body = statement.slice(eq + 1).trim();
    total += 1;
    if ((total & 0xfff) === 0 && onRecord) onRecord(total);
    if (body.startsWith('(')) {
      const parts = complexParts(body);
      for (const part of parts) counts.set(part.type, (counts.get(part.type) ?? 0) + 1);
      if (parts.some((p) => graph.wants(p.type))) graph.keepComplex(id, parts);
      readUnitParts(id, parts, lengthUnits, angleUnits, contextUnitRefs);
      continue;
    }
    const paren = body.indexOf('(');
    if (paren <= 0) {
      malformed += 1;
      continue;
    }
    const type = body.slice(0, paren).trim().toUpperCase();
    counts.set(type, (counts.get(type) ?? 0) + 1);
    if (MATERIAL_RECORD_TYPES.has(type))
      kept.set(id, { type, args: body.slice(paren + 1, body.lastIndexOf(')')) });
    if (graph.wants(type)) graph.keep(id, type, body.slice(paren + 1, body.lastIndexOf(')')));
    if (type === 'PRODUCT') {
      const args = parseParameters(body.slice(paren + 1, body.lastIndexOf(')')));
      products.push({
        entity_id: id,
        id: stringOf(args[0]) ?? '',
        name: stringOf(args[1]) || stringOf(args[0]) || '',
        description: emptyToNull(stringOf(args[2])),
      });
    }
  }
  const entity_counts = Object.fromEntries(
    [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  );
  return {
    header: parseStepHeader(headerText),
    entity_counts,
    total_entities: total,
    products,
    length_unit: pickUnit(lengthUnits, contextUnitRefs),
    angle_unit: pickUnit(angleUnits, contextUnitRefs),
    malformed_records: malformed,
    materials: resolveMaterials(kept, new Map(products.map((p) => [p.entity_id, p.name]))),
    graph,
    length_units_by_id: lengthUnits,
    fetchRecords: (ids) => keepRecordsById(text, from, new Set(ids), graph),
  };
}

/** Second pass: keeps the simple records with the given ids, whatever their type. */
function keepRecordsById(
  text: string,
  from: number,
  ids: Set<number>,
  graph: StepEntityGraph,
): void {
  for (const statement of splitStatements(text, from)) {
    const m = /^\s*#(\d+)\s*=\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(statement);
    if (!m || !ids.has(Number(m[1]))) continue;
    graph.keep(
      Number(m[1]),
      m[2].toUpperCase(),
      statement.slice(m[0].length, statement.lastIndexOf(')')),
    );
    ids.delete(Number(m[1]));
    if (ids.size === 0) return;
  }
}

/** Prefers the unit a GLOBAL_UNIT_ASSIGNED_CONTEXT names first, else the most frequent one. */
function pickUnit<T>(units: Map<number, T>, contextRefs: number[]): T | null {
  for (const ref of contextRefs) {
    const unit = units.get(ref);
    if (unit) return unit;
  }
  const tally = new Map<string, { unit: T; n: number }>();
  for (const unit of units.values()) {
    const key = JSON.stringify(unit);
    const entry = tally.get(key) ?? { unit, n: 0 };
    entry.n += 1;
    tally.set(key, entry);
  }
  let best: { unit: T; n: number } | null = null;
  for (const entry of tally.values()) if (!best || entry.n > best.n) best = entry;
  return best ? best.unit : null;
}

interface ComplexPart {
  type: string;
  args: string;
}

/** Splits `(LENGTH_UNIT()NAMED_UNIT(*)SI_UNIT(.MILLI.,.METRE.))` into its typed parts. */
function complexParts(body: string): ComplexPart[] {
  const parts: ComplexPart[] = [];
  const inner = body.slice(1, body.lastIndexOf(')'));
  let i = 0;
  while (i < inner.length) {
    const m = /[A-Za-z_][A-Za-z0-9_]*/g;
    m.lastIndex = i;
    const word = m.exec(inner);
    if (!word) break;
    const open = inner.indexOf('(', word.index + word[0].length);
    if (open < 0) break;
    const close = matchingParen(inner, open);
    parts.push({ type: word[0].toUpperCase(), args: inner.slice(open + 1, close) });
    i = close + 1;
  }
  return parts;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth += 1;
    else if (!quoted && ch === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return text.length;
}

function readUnitParts(
  id: number,
  parts: ComplexPart[],
  lengthUnits: Map<number, StepLengthUnit>,
  angleUnits: Map<number, string>,
  contextUnitRefs: number[],
): void {
  const byType = new Map(parts.map((p) => [p.type, p]));
  const context = byType.get('GLOBAL_UNIT_ASSIGNED_CONTEXT');
  if (context) {
    const list = parseParameters(context.args)[0];
    if (list && list.kind === 'list')
      for (const item of list.items) if (item.kind === 'ref') contextUnitRefs.push(item.value);
  }
  const si = byType.get('SI_UNIT');
  const conversion = byType.get('CONVERSION_BASED_UNIT');
  if (byType.has('LENGTH_UNIT')) {
    if (si) {
      const [prefix, name] = parseParameters(si.args).map(enumOf);
      if (name === 'METRE') {
        const p = prefix ?? '';
        lengthUnits.set(id, {
          name: `${p}${name}`,
          symbol: `${PREFIX_SYMBOL[p] ?? ''}m`,
          metres: SI_PREFIX[p] ?? 1,
        });
      }
    } else if (conversion) {
      const name = (stringOf(parseParameters(conversion.args)[0]) ?? '').toUpperCase();
      const known = CONVERSION_UNITS[name];
      if (known) lengthUnits.set(id, { name, ...known });
    }
  }
  if (byType.has('PLANE_ANGLE_UNIT')) {
    if (si) angleUnits.set(id, enumOf(parseParameters(si.args)[1]) ?? 'RADIAN');
    else if (conversion)
      angleUnits.set(id, (stringOf(parseParameters(conversion.args)[0]) ?? '').toUpperCase());
  }
}

function enumOf(value: StepValue | undefined): string | null {
  return value && value.kind === 'enum' ? value.value.toUpperCase() : null;
}

function emptyToNull(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value;
}

/**
 * Yields the `;`-terminated statements of `text` from `start`, ignoring `;` inside quoted
 * strings and comments.
 */
export function* splitStatements(text: string, start: number): Generator<string> {
  let begin = start;
  let quoted = false;
  let hadComment = false;
  const piece = (end: number): string => {
    const raw = text.slice(begin, end);
    // comments are rare: only then pay for removing them (string contents are kept intact)
    return hadComment ? stripComments(raw) : raw;
  };
  for (let i = start; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 39)
      quoted = !quoted; // '
    else if (!quoted && c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      hadComment = true;
    } else if (!quoted && c === 59) {
      yield piece(i);
      begin = i + 1;
      hadComment = false;
    }
  }
  const rest = piece(text.length);
  if (rest.trim() !== '') yield rest;
}

function stripComments(statement: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < statement.length; i += 1) {
    const ch = statement[i];
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === '/' && statement[i + 1] === '*') {
      const end = statement.indexOf('*/', i + 2);
      i = end < 0 ? statement.length : end + 1;
      continue;
    }
    out += ch;
  }
  return out;
}
