/** The columns of a row set: every key of every row, in order of first appearance. */
import { SourceRow } from './rows/source-row';

export function sourceFieldsOf(rows: SourceRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}
