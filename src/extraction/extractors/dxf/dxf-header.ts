/** HEADER variables → result metadata: version and release, units, limits, dates, code page. */

/** Values of one header variable, by group code (10/20/30 for points, 1/3/70/40… for scalars). */
export type HeaderVariable = Record<number, string>;

/** Header variables the extractor keeps; everything else is skipped while streaming. */
export const WANTED_HEADER_VARIABLES = new Set([
  '$ACADVER',
  '$ACADMAINTVER',
  '$DWGCODEPAGE',
  '$INSUNITS',
  '$MEASUREMENT',
  '$LUNITS',
  '$AUNITS',
  '$LIMMIN',
  '$LIMMAX',
  '$EXTMIN',
  '$EXTMAX',
  '$TDCREATE',
  '$TDUPDATE',
  '$TDUCREATE',
  '$TDUUPDATE',
  '$LASTSAVEDBY',
  '$DIMLFAC',
  '$HANDSEED',
]);

const RELEASES: Record<string, string> = {
  'AC1.2': 'R1.2',
  'AC1.40': 'R1.40',
  'AC1.50': 'R2.05',
  'AC2.10': 'R2.10',
  AC1002: 'R2.5',
  AC1003: 'R2.6',
  AC1004: 'R9',
  AC1006: 'R10',
  AC1009: 'R12',
  AC1012: 'R13',
  AC1014: 'R14',
  AC1015: 'R2000',
  AC1018: 'R2004',
  AC1021: 'R2007',
  AC1024: 'R2010',
  AC1027: 'R2013',
  AC1032: 'R2018',
};

export function releaseName(version: string | null): string | null {
  return version ? (RELEASES[version] ?? null) : null;
}

/** $INSUNITS codes: [abbreviation used as dimension unit, full name]. */
const INSUNITS: Record<number, [string, string]> = {
  1: ['in', 'inches'],
  2: ['ft', 'feet'],
  3: ['mi', 'miles'],
  4: ['mm', 'millimeters'],
  5: ['cm', 'centimeters'],
  6: ['m', 'meters'],
  7: ['km', 'kilometers'],
  8: ['µin', 'microinches'],
  9: ['mil', 'mils'],
  10: ['yd', 'yards'],
  11: ['Å', 'angstroms'],
  12: ['nm', 'nanometers'],
  13: ['µm', 'microns'],
  14: ['dm', 'decimeters'],
  15: ['dam', 'decameters'],
  16: ['hm', 'hectometers'],
  17: ['Gm', 'gigameters'],
  18: ['AU', 'astronomical units'],
  19: ['ly', 'light years'],
  20: ['pc', 'parsecs'],
  21: ['ft (US survey)', 'US survey feet'],
  22: ['in (US survey)', 'US survey inches'],
  23: ['yd (US survey)', 'US survey yards'],
  24: ['mi (US survey)', 'US survey miles'],
};

export interface DxfUnits {
  code: number | null;
  /** Abbreviation used for dimension values ("mm", "m", "in" …); null when unitless/unknown. */
  unit: string | null;
  name: string;
}

export function unitsFromInsunits(code: number | null): DxfUnits {
  if (code === null || !Number.isFinite(code))
    return { code: null, unit: null, name: 'unspecified' };
  const entry = INSUNITS[code];
  if (!entry) return { code, unit: null, name: code === 0 ? 'unitless' : 'unknown' };
  return { code, unit: entry[0], name: entry[1] };
}

/**
 * AutoCAD date of 1970-01-01T00:00. AutoCAD writes dates as the Julian day number of the calendar
 * day plus the fraction of the day since **midnight** (Autodesk DXF reference: 2451544.91568287 =
 * 1999-12-31 21:58:35), not the astronomical Julian date, which counts from noon (that one would
 * put 1970-01-01T00:00 at 2440587.5 and every date 12 hours late).
 */
const AUTOCAD_DAY_OF_UNIX_EPOCH = 2440588;

/** An AutoCAD Julian date (day number + fraction since midnight) → ISO 8601; null when absent or absurd. */
export function julianToIso(jd: number | null, utc: boolean): string | null {
  // 2415021 = 1900-01-01, 2816788 = 3000-01-01: anything outside is a placeholder (often 0).
  if (jd === null || !Number.isFinite(jd) || jd < 2415021 || jd > 2816788) return null;
  const ms = Math.round((jd - AUTOCAD_DAY_OF_UNIX_EPOCH) * 86400000);
  const iso = new Date(ms).toISOString();
  // $TDCREATE/$TDUPDATE are local time without a zone: no "Z" for them.
  return utc ? iso : iso.slice(0, -1);
}

function num(v: HeaderVariable | undefined, code: number): number | null {
  const raw = v?.[code];
  if (raw === undefined) return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

function str(v: HeaderVariable | undefined, code: number): string | null {
  const raw = v?.[code];
  return raw === undefined ? null : raw;
}

function point2(v: HeaderVariable | undefined): [number, number] | null {
  const x = num(v, 10);
  const y = num(v, 20);
  return x === null || y === null ? null : [x, y];
}

/** $EXTMIN/$EXTMAX when they hold real values; null when absent or the ±1e20 "not computed" placeholders. */
export function headerExtents(
  vars: Map<string, HeaderVariable>,
): { min: number[]; max: number[] } | null {
  const min = vars.get('$EXTMIN');
  const max = vars.get('$EXTMAX');
  const a = [num(min, 10), num(min, 20), num(min, 30) ?? 0];
  const b = [num(max, 10), num(max, 20), num(max, 30) ?? 0];
  if (a.some((x) => x === null) || b.some((x) => x === null)) return null;
  const lo = a as number[];
  const hi = b as number[];
  // ezdxf and others write EXTMIN = +1e20, EXTMAX = -1e20 for "not computed".
  for (let i = 0; i < 3; i++) {
    if (lo[i] > hi[i] || Math.abs(lo[i]) >= 1e19 || Math.abs(hi[i]) >= 1e19) return null;
  }
  return { min: lo, max: hi };
}

export function firstString(vars: Map<string, HeaderVariable>, name: string, code: number) {
  return str(vars.get(name), code);
}

export function headerNumber(vars: Map<string, HeaderVariable>, name: string, code: number) {
  return num(vars.get(name), code);
}

/** Metadata fields derived from the header. */
export function headerMetadata(vars: Map<string, HeaderVariable>): Record<string, unknown> {
  const version = str(vars.get('$ACADVER'), 1);
  const units = unitsFromInsunits(num(vars.get('$INSUNITS'), 70));
  const limMin = point2(vars.get('$LIMMIN'));
  const limMax = point2(vars.get('$LIMMAX'));
  const measurement = num(vars.get('$MEASUREMENT'), 70);
  return {
    dxf_version: version,
    release: releaseName(version),
    maintenance_version: num(vars.get('$ACADMAINTVER'), 70),
    code_page: str(vars.get('$DWGCODEPAGE'), 3),
    insunits: units.code,
    units: units.unit,
    units_name: units.name,
    measurement_system: measurement === null ? null : measurement === 1 ? 'metric' : 'imperial',
    limits: limMin && limMax ? { min: limMin, max: limMax } : null,
    extents: headerExtents(vars),
    created: julianToIso(num(vars.get('$TDCREATE'), 40), false),
    modified: julianToIso(num(vars.get('$TDUPDATE'), 40), false),
    created_utc: julianToIso(num(vars.get('$TDUCREATE'), 40), true),
    modified_utc: julianToIso(num(vars.get('$TDUUPDATE'), 40), true),
    last_saved_by: str(vars.get('$LASTSAVEDBY'), 1),
  };
}
