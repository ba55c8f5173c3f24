/**
 * Suggested mapping of source fields onto a table's fields: the best-scoring pairs first (names,
 * then synonyms), each target used once, and a pair only when the source's sample values fit the
 * target's type (text takes anything; a number field takes only values that coerce to numbers).
 */
import { TableField } from '../../tables/table-gateway';
import { RowValue, SourceRow } from '../rows/source-row';
import { nameScore } from './field-names';
import { coerceValue } from './value-coercion';

/** Pairs scoring below this are not suggested. */
export const MIN_SCORE = 0.7;

/** True when (nearly) every non-empty sample value coerces to the field's type. */
export function valuesFit(values: RowValue[], field: TableField): boolean {
  if (field.type === 'text') return true;
  const present = values.filter((v) => v !== null && !(typeof v === 'string' && v.trim() === ''));
  if (present.length === 0) return true;
  const fitting = present.filter((v) => coerceValue(v, field.type).ok).length;
  return fitting / present.length >= 0.9;
}

export function suggestMapping(
  sourceFields: string[],
  rows: SourceRow[],
  targets: TableField[],
): Record<string, string> {
  const pairs: { source: string; target: TableField; score: number; order: number }[] = [];
  sourceFields.forEach((source, order) => {
    const values = rows.map((r) => r[source] ?? null);
    for (const target of targets) {
      const score = nameScore(source, target.name);
      if (score >= MIN_SCORE && valuesFit(values, target))
        pairs.push({ source, target, score, order });
    }
  });
  pairs.sort((a, b) => b.score - a.score || a.order - b.order);
  const mapping: Record<string, string> = {};
  const usedTargets = new Set<string>();
  for (const pair of pairs) {
    if (pair.source in mapping || usedTargets.has(pair.target.id)) continue;
    mapping[pair.source] = pair.target.id;
    usedTargets.add(pair.target.id);
  }
  return mapping;
}
