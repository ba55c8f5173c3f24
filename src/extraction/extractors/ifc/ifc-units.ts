/**
 * Project units from IfcUnitAssignment (IfcSIUnit, IfcConversionBasedUnit, IfcDerivedUnit,
 * IfcMonetaryUnit), as names for metadata and short symbols for quantities.
 */
import * as WebIFC from 'web-ifc';
import { IfcLine, IfcModelReader, refOf, refsOf, textOf } from './ifc-model-reader';

export interface IfcUnit {
  /** IFC unit type, e.g. LENGTHUNIT, AREAUNIT, or CURRENCY for monetary units. */
  unit_type: string;
  /** Full name, e.g. MILLIMETRE, SQUARE_METRE, inch, EUR. */
  name: string;
  /** Short symbol, e.g. mm, m2, in, EUR. */
  symbol: string;
}

export interface IfcUnits {
  /** Unit type -> unit; empty when the file has no IfcUnitAssignment. */
  byType: Map<string, IfcUnit>;
  /** Symbol of an explicitly referenced unit (a quantity's own Unit attribute). */
  symbolOf(unitId: number): string | null;
}

const PREFIX_SYMBOL: Record<string, string> = {
  EXA: 'E',
  PETA: 'P',
  TERA: 'T',
  GIGA: 'G',
  MEGA: 'M',
  KILO: 'k',
  HECTO: 'h',
  DECA: 'da',
  DECI: 'd',
  CENTI: 'c',
  MILLI: 'm',
  MICRO: 'µ',
  NANO: 'n',
  PICO: 'p',
  FEMTO: 'f',
  ATTO: 'a',
};
const SI_SYMBOL: Record<string, string> = {
  METRE: 'm',
  SQUARE_METRE: 'm2',
  CUBIC_METRE: 'm3',
  GRAM: 'g',
  SECOND: 's',
  RADIAN: 'rad',
  STERADIAN: 'sr',
  KELVIN: 'K',
  DEGREE_CELSIUS: '°C',
  AMPERE: 'A',
  MOLE: 'mol',
  CANDELA: 'cd',
  NEWTON: 'N',
  PASCAL: 'Pa',
  JOULE: 'J',
  WATT: 'W',
  HERTZ: 'Hz',
  VOLT: 'V',
  OHM: 'Ω',
  LUX: 'lx',
  LUMEN: 'lm',
  COULOMB: 'C',
  FARAD: 'F',
  SIEMENS: 'S',
  WEBER: 'Wb',
  TESLA: 'T',
  HENRY: 'H',
  BECQUEREL: 'Bq',
  GRAY: 'Gy',
  SIEVERT: 'Sv',
};
const CONVERSION_SYMBOL: Record<string, string> = {
  inch: 'in',
  foot: 'ft',
  yard: 'yd',
  mile: 'mi',
  'square inch': 'in2',
  'square foot': 'ft2',
  'square yard': 'yd2',
  acre: 'acre',
  'cubic inch': 'in3',
  'cubic foot': 'ft3',
  'cubic yard': 'yd3',
  litre: 'l',
  'fluid ounce uk': 'fl oz',
  'fluid ounce us': 'fl oz',
  pint: 'pt',
  gallon: 'gal',
  degree: 'deg',
  ounce: 'oz',
  pound: 'lb',
  ton: 't',
  'ton uk': 'ton',
  'ton us': 'ton',
  minute: 'min',
  hour: 'h',
  day: 'd',
};

export function readUnits(reader: IfcModelReader): IfcUnits {
  const byType = new Map<string, IfcUnit>();
  const cache = new Map<number, IfcUnit | null>();
  const decode = (id: number): IfcUnit | null => {
    if (!cache.has(id)) {
      const line = reader.line(id);
      cache.set(id, line ? decodeUnit(line) : null);
    }
    return cache.get(id) ?? null;
  };
  const assignmentId = projectUnitAssignment(reader);
  const assignment = assignmentId === null ? null : reader.line(assignmentId);
  if (assignment) {
    for (const unitId of refsOf(assignment.Units)) {
      const unit = decode(unitId);
      if (unit && !byType.has(unit.unit_type)) byType.set(unit.unit_type, unit);
    }
  }
  return { byType, symbolOf: (id) => decode(id)?.symbol ?? null };
}

/** IfcProject.UnitsInContext, else the first IfcUnitAssignment of the file. */
function projectUnitAssignment(reader: IfcModelReader): number | null {
  for (const projectId of reader.idsOfClass(WebIFC.IFCPROJECT)) {
    const ref = refOf(reader.line(projectId)?.UnitsInContext);
    if (ref !== null) return ref;
  }
  return reader.idsOfClass(WebIFC.IFCUNITASSIGNMENT)[0] ?? null;
}

function decodeUnit(line: IfcLine): IfcUnit | null {
  const unitType = textOf(line.UnitType) ?? '';
  switch (line.type) {
    case WebIFC.IFCSIUNIT: {
      const prefix = textOf(line.Prefix) ?? '';
      const name = textOf(line.Name) ?? '';
      return {
        unit_type: unitType,
        name: `${prefix}${name}`,
        symbol: `${PREFIX_SYMBOL[prefix] ?? ''}${SI_SYMBOL[name] ?? name.toLowerCase()}`,
      };
    }
    case WebIFC.IFCCONVERSIONBASEDUNIT:
    case WebIFC.IFCCONVERSIONBASEDUNITWITHOFFSET: {
      const name = textOf(line.Name) ?? '';
      return { unit_type: unitType, name, symbol: CONVERSION_SYMBOL[name.toLowerCase()] ?? name };
    }
    case WebIFC.IFCDERIVEDUNIT: {
      const name = textOf(line.UserDefinedType) ?? unitType;
      return { unit_type: unitType, name, symbol: name };
    }
    case WebIFC.IFCMONETARYUNIT: {
      const currency = textOf(line.Currency) ?? '';
      return { unit_type: 'CURRENCY', name: currency, symbol: currency };
    }
    default:
      return null;
  }
}

/** Units for metadata: {"LENGTHUNIT": "MILLIMETRE", …}, or null when the file declares none. */
export function unitsForMetadata(units: IfcUnits): Record<string, string> | null {
  if (units.byType.size === 0) return null;
  return Object.fromEntries([...units.byType.values()].map((u) => [u.unit_type, u.name]));
}
