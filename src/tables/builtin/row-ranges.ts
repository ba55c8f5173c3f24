/**
 * Row indices as PostgreSQL int4multirange text, for the never-twice ledger
 * (data_table_source_rows): a whole import is one range however many rows it has.
 */

/** Sorted distinct indices as an int4multirange literal: [0,1,2,5] → {[0,3),[5,6)}. */
export function toRanges(indices: number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let k = 0; k < sorted.length;) {
    let end = k;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end += 1;
    parts.push(`[${sorted[k]},${sorted[end] + 1})`);
    k = end + 1;
  }
  return `{${parts.join(',')}}`;
}

/** Membership in an int4multirange as PostgreSQL prints it ({[0,3),[5,6)}, always [a,b)). */
export function rangesTest(text: string): (i: number) => boolean {
  const ranges = [...text.matchAll(/\[(-?\d+),(-?\d+)\)/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
  if (ranges.length === 0) return () => false;
  return (i) => ranges.some(([a, b]) => i >= a && i < b);
}
