/**
 * Values coerced to a field's type: "12,5" and "1/2" are numbers, "12.5 mm" and '1/2"' are
 * dimensions ({value, unit}), "2026-01-19" and "19.01.2026" dates (stored as YYYY-MM-DD). A value
 * that does not fit is a failure with a message, never a silent null.
 */
import { FieldType } from '../../tables/field-types';
import { RowValue } from '../rows/source-row';

export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

export interface Dimension {
  value: number;
  unit: string | null;
}

const UNIT_ALIASES: Record<string, string> = {
  mm: 'mm',
  cm: 'cm',
  m: 'm',
  km: 'km',
  um: 'µm',
  µm: 'µm',
  in: 'in',
  inch: 'in',
  inches: 'in',
  '"': 'in',
  '″': 'in',
  '”': 'in',
  ft: 'ft',
  feet: 'ft',
  "'": 'ft',
  '′': 'ft',
  '°': '°',
  deg: '°',
  m2: 'm²',
  'm²': 'm²',
  m3: 'm³',
  'm³': 'm³',
  kg: 'kg',
  g: 'g',
};

/** "12", "-3.5", "12,5" (decimal comma), "1,234.5", "1/2", "1 1/2", "1-1/2"; null otherwise. */
export function parseNumber(text: string): number | null {
  const s = text.trim().replace(/^\+/, '');
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s) || /^-?\.\d+$/.test(s)) return Number(s);
  if (/^-?\d+,\d+$/.test(s)) return Number(s.replace(',', '.'));
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) return Number(s.replace(/,/g, ''));
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) return Number(s.replace(/\./g, '').replace(',', '.'));
  const fraction = /^(-)?(?:(\d+)[\s-]+)?(\d+)\/(\d+)$/.exec(s);
  if (fraction && Number(fraction[4]) !== 0) {
    const value = Number(fraction[2] ?? 0) + Number(fraction[3]) / Number(fraction[4]);
    return fraction[1] ? -value : value;
  }
  return null;
}

/** A number with an optional leading symbol (Ø, R, M) and unit: "12.5 mm", '1/2"', "Ø20". */
export function parseDimension(text: string): Dimension | null {
  const match =
    /^\s*(?:[Øø⌀∅]|DIA\.?|R|M)?\s*(.+?)\s*(mm|cm|km|m|µm|um|inches|inch|in|ft|feet|["″”'′°]|deg|m2|m²|m3|m³|kg|g)?\s*$/i.exec(
      text,
    );
  if (!match) return null;
  const value = parseNumber(match[1]);
  if (value === null) return null;
  const unit = match[2] ? (UNIT_ALIASES[match[2].toLowerCase()] ?? match[2]) : null;
  return { value, unit };
}

function isoDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return null;
  }
  return date.toISOString().slice(0, 10);
}

/** "2026-01-19", "2026/01/19", "2026-01-19T10:00:00Z", "19.01.2026"; null otherwise. */
export function parseDate(text: string): string | null {
  const s = text.trim();
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (m) return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
  return null;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 'ja', 'x', '✓', '✔', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'nein', 'off', '0', '-']);

export function parseBoolean(value: RowValue): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
  const s = String(value).trim().toLowerCase();
  return TRUE_WORDS.has(s) ? true : FALSE_WORDS.has(s) ? false : null;
}

export function parseUrl(text: string): string | null {
  const s = text.trim();
  const candidate = /^www\./i.test(s) ? `https://${s}` : s;
  try {
    const url = new URL(candidate);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.')
      ? url.toString()
      : null;
  } catch {
    return null;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const fail = (value: RowValue, type: FieldType): Coerced => ({
  ok: false,
  message: `${JSON.stringify(value)} is not a valid ${type}`,
});

export function coerceValue(value: RowValue, type: FieldType): Coerced {
  if (value === null || (typeof value === 'string' && value.trim() === '')) {
    return { ok: true, value: null };
  }
  switch (type) {
    case 'text':
      return { ok: true, value: String(value) };
    case 'number': {
      if (typeof value === 'number') return { ok: true, value };
      if (typeof value === 'boolean') return fail(value, type);
      // A number field takes "12.5 mm" as 12.5: the unit is the field's to know.
      const number = parseNumber(value) ?? parseDimension(value)?.value ?? null;
      return number === null ? fail(value, type) : { ok: true, value: number };
    }
    case 'dimension': {
      if (typeof value === 'number') return { ok: true, value: { value, unit: null } };
      if (typeof value === 'boolean') return fail(value, type);
      const dimension = parseDimension(value);
      return dimension ? { ok: true, value: dimension } : fail(value, type);
    }
    case 'date': {
      const date = typeof value === 'string' ? parseDate(value) : null;
      return date ? { ok: true, value: date } : fail(value, type);
    }
    case 'url': {
      const url = typeof value === 'string' ? parseUrl(value) : null;
      return url ? { ok: true, value: url } : fail(value, type);
    }
    case 'email': {
      const email = typeof value === 'string' ? value.trim() : '';
      return EMAIL.test(email) ? { ok: true, value: email } : fail(value, type);
    }
    case 'boolean': {
      const bool = parseBoolean(value);
      return bool === null ? fail(value, type) : { ok: true, value: bool };
    }
  }
}
