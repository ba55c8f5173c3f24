/**
 * The type of a field to create, from its values first and its name second: all values numbers →
 * number (dimension when the name says so or units are written), all dates → date, and so on.
 * Identifiers stay text even when they look like numbers ("007", part numbers, item "1.1").
 */
import { FieldType } from '../../tables/field-types';
import { RowValue } from '../rows/source-row';
import { conceptOf, lastSegment, normaliseName } from './field-names';
import {
  coerceValue,
  parseBoolean,
  parseDate,
  parseDimension,
  parseNumber,
} from './value-coercion';

const IDENTIFIER_WORDS =
  /\b(id|no|nr|number|code|pn|part|item|rev|revision|drawing|dwg|sku|article|global|tag|sheet)\b/;
const DIMENSION_WORDS =
  /\b(dia|diameter|length|width|height|depth|thickness|thk|radius|size|dimension|distance|elevation)\b/;
const DATE_WORDS = /\b(date|created|modified|updated|due)\b/;
const UNIT_IN_NAME = /\((mm|cm|m|in|ft)\)\s*$/i;

function nameHint(name: string): FieldType | null {
  const n = normaliseName(lastSegment(name));
  const concept = conceptOf(n)?.concept;
  if (concept === 'quantity' || concept === 'weight') return 'number';
  if (concept === 'diameter' || concept === 'thickness' || concept === 'length') return 'dimension';
  if (DIMENSION_WORDS.test(n) || UNIT_IN_NAME.test(name)) return 'dimension';
  if (DATE_WORDS.test(n)) return 'date';
  if (/\b(url|link|website|href)\b/.test(n)) return 'url';
  if (/\b(email|e mail|mail)\b/.test(n)) return 'email';
  if (/^(is|has)\b/.test(n)) return 'boolean';
  return null;
}

const isLeadingZero = (v: RowValue) => typeof v === 'string' && /^0\d/.test(v.trim());

export function inferFieldType(name: string, values: RowValue[]): FieldType {
  const present = values.filter((v) => v !== null && !(typeof v === 'string' && v.trim() === ''));
  const hint = nameHint(name);
  if (present.length === 0) return hint ?? 'text';
  const all = (test: (v: RowValue) => boolean) => present.every(test);
  if (all((v) => typeof v === 'boolean')) return 'boolean';
  const normalised = normaliseName(lastSegment(name));
  const identifier = IDENTIFIER_WORDS.test(normalised) && hint === null;
  const numeric = all(
    (v) =>
      typeof v === 'number' ||
      (typeof v === 'string' && !isLeadingZero(v) && parseNumber(v) !== null),
  );
  if (numeric && !identifier) return hint === 'dimension' ? 'dimension' : 'number';
  const dimensions = all(
    (v) => typeof v === 'number' || (typeof v === 'string' && parseDimension(v) !== null),
  );
  const withUnit = present.some((v) => typeof v === 'string' && parseDimension(v)?.unit);
  if (dimensions && withUnit && !identifier) return 'dimension';
  if (all((v) => typeof v === 'string' && parseDate(v) !== null)) return 'date';
  if (all((v) => coerceValue(v, 'url').ok) && all((v) => typeof v === 'string')) return 'url';
  if (all((v) => coerceValue(v, 'email').ok) && all((v) => typeof v === 'string')) return 'email';
  if (hint === 'boolean' && all((v) => parseBoolean(v) !== null)) return 'boolean';
  return 'text';
}
