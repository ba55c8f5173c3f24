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
  const evidence = new FieldTypeEvidence();
  for (const value of values) evidence.add(value);
  return evidence.type(name);
}

/**
 * What the values of a column say about its type, gathered one value at a time (an import streams
 * its rows): each test stays true until a value fails it, and a failed test is not run again.
 */
export class FieldTypeEvidence {
  private present = 0;
  private booleans = true;
  private numeric = true;
  private dimensions = true;
  private withUnit = false;
  private dates = true;
  private urls = true;
  private emails = true;
  private booleanWords = true;

  add(v: RowValue): void {
    if (v === null || (typeof v === 'string' && v.trim() === '')) return;
    this.present += 1;
    const text = typeof v === 'string';
    if (this.booleans && typeof v !== 'boolean') this.booleans = false;
    if (this.numeric) {
      this.numeric =
        typeof v === 'number' || (text && !isLeadingZero(v) && parseNumber(v) !== null);
    }
    if (this.dimensions) {
      this.dimensions = typeof v === 'number' || (text && parseDimension(v) !== null);
    }
    if (!this.withUnit && text && parseDimension(v)?.unit) this.withUnit = true;
    if (this.dates) this.dates = text && parseDate(v) !== null;
    if (this.urls) this.urls = text && coerceValue(v, 'url').ok;
    if (this.emails) this.emails = text && coerceValue(v, 'email').ok;
    if (this.booleanWords) this.booleanWords = parseBoolean(v) !== null;
  }

  type(name: string): FieldType {
    const hint = nameHint(name);
    if (this.present === 0) return hint ?? 'text';
    if (this.booleans) return 'boolean';
    const normalised = normaliseName(lastSegment(name));
    const identifier = IDENTIFIER_WORDS.test(normalised) && hint === null;
    if (this.numeric && !identifier) return hint === 'dimension' ? 'dimension' : 'number';
    if (this.dimensions && this.withUnit && !identifier) return 'dimension';
    if (this.dates) return 'date';
    if (this.urls) return 'url';
    if (this.emails) return 'email';
    if (hint === 'boolean' && this.booleanWords) return 'boolean';
    return 'text';
  }
}
