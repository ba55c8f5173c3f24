/**
 * Is the table under the detected header a bill of materials at all? A colour table ("No, Name,
 * Hex") or an employee list ("ID, Name, Department") has a header the synonyms accept (item id +
 * description), and would come back as a BOM of every row with quantity 1 assumed. A BOM names
 * parts (a part-number or description column) and says how many (a quantity column whose cells
 * are mostly numbers ≥ 0); a parts list with part numbers but no quantity column is still a BOM
 * with quantity 1, at a lower confidence. Rules and figures: docs/bom-extractor.md.
 */
import { ExtractionError } from '../extraction-error';
import { RawTable } from './bom-types';
import { HeaderMatch } from './header-detection';
import { parseQuantity } from './quantity';

/** Share of filled quantity cells that must read as numbers ≥ 0 (and below an absurd count). */
const MIN_READABLE_SHARE = 0.8;
/** Share of data rows that must have a quantity at all. */
const MIN_FILLED_SHARE = 0.5;
const MAX_PLAUSIBLE_QUANTITY = 1e7;

export interface QuantityEvidence {
  rows: number;
  filled: number;
  readable: number;
}

export interface BomPlausibility {
  /** 0–1: how sure the reader is that the table is a BOM (reported as metadata.bom_confidence). */
  confidence: number;
  warnings: string[];
}

function quantityEvidence(table: RawTable, header: HeaderMatch): QuantityEvidence | null {
  const column = header.columns.quantity;
  if (column === undefined) return null;
  const mapped = Object.values(header.columns);
  const evidence = { rows: 0, filled: 0, readable: 0 };
  for (const row of table.rows.slice(header.rowIndex + 1)) {
    if (mapped.every((index) => (row.cells[index] ?? null) === null)) continue;
    evidence.rows++;
    const cell = row.cells[column] ?? null;
    const parsed = parseQuantity(cell);
    if (parsed.problem === 'empty') continue;
    evidence.filled++;
    if (parsed.problem === null && parsed.value >= 0 && parsed.value < MAX_PLAUSIBLE_QUANTITY)
      evidence.readable++;
  }
  return evidence;
}

/** Throws NOT_A_BOM when the table is no bill of materials; else its confidence and warnings. */
export function assessBom(table: RawTable, header: HeaderMatch): BomPlausibility {
  const names = header.columns.part_number !== undefined;
  const named = names || header.columns.description !== undefined;
  const q = quantityEvidence(table, header);
  const plausible =
    q !== null &&
    q.rows > 0 &&
    q.filled >= q.rows * MIN_FILLED_SHARE &&
    q.readable >= q.filled * MIN_READABLE_SHARE;
  if (named && plausible) return { confidence: names ? 1 : 0.9, warnings: [] };
  if (names && q === null) {
    return {
      confidence: 0.6,
      warnings: ['No quantity column: quantity 1 assumed for every item'],
    };
  }
  // Part numbers with mostly unreadable quantities: the row warnings already name each row.
  if (names) return { confidence: 0.5, warnings: [] };
  const found = Object.entries(header.columns)
    .map(([role, index]) => `${String(table.rows[header.rowIndex].cells[index])} → ${role}`)
    .join(', ');
  const why =
    q === null
      ? 'it has neither a part-number column nor a quantity column'
      : `it has no part-number column and its quantity column holds numbers in only ${q.readable} of ${q.rows} rows`;
  throw new ExtractionError(
    'NOT_A_BOM',
    `"${table.name}" does not look like a bill of materials: ${why} (columns recognised: ${found || 'none'}). A BOM needs a part number or description column and a quantity column`,
  );
}
