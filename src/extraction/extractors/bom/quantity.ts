/** Quantity parsing: numbers, "2 pcs", "1,5" (comma decimal), "1.000,5", empty. */
import { CellValue } from './bom-types';

export interface ParsedQuantity {
  value: number;
  /** Set when the cell could not be read as a number and 1 was assumed. */
  problem: 'empty' | 'unreadable' | null;
}

export function parseQuantity(cell: CellValue): ParsedQuantity {
  if (typeof cell === 'number') {
    return Number.isFinite(cell)
      ? { value: cell, problem: null }
      : { value: 1, problem: 'unreadable' };
  }
  const text = (cell ?? '').trim();
  if (text === '') return { value: 1, problem: 'empty' };
  const value = parseNumberPrefix(text);
  return value === null ? { value: 1, problem: 'unreadable' } : { value, problem: null };
}

/** Reads the number at the start of `text` ("2 pcs" -> 2, "1,5" -> 1.5, "1.250,75 kg" -> 1250.75). */
export function parseNumberPrefix(text: string): number | null {
  const compact = text.trim();
  const match = /^[+-]?[\d][\d.,' ]*/.exec(compact);
  if (!match) return null;
  let token = match[0].trim();
  const negative = token.startsWith('-');
  token = token.replace(/^[+-]/, '').replace(/[' ]/g, '');
  const lastDot = token.lastIndexOf('.');
  const lastComma = token.lastIndexOf(',');
  let normalised: string;
  if (lastDot >= 0 && lastComma >= 0) {
    // Both present: the later one is the decimal separator, the other groups thousands.
    const decimal = lastDot > lastComma ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    normalised = token.split(group).join('').replace(decimal, '.');
  } else if (lastComma >= 0) {
    // Only commas: one comma is a decimal separator ("1,5"); several group thousands.
    const parts = token.split(',');
    normalised = parts.length > 2 ? parts.join('') : parts.join('.');
  } else {
    const parts = token.split('.');
    normalised = parts.length > 2 ? parts.join('') : token;
  }
  normalised = normalised.replace(/[.]$/, '');
  if (!/^\d+(\.\d+)?$/.test(normalised)) return null;
  const value = Number(normalised);
  return Number.isFinite(value) ? (negative ? -value : value) : null;
}
