/**
 * Turns the data rows under a detected header into BomItems with a hierarchy, taken from (first
 * match wins) a parent column, a level column (1/2/3, "1.2.1" or "..2"), or dotted item numbers.
 */
import { BomItem } from '../cad-result';
import { CellValue, RawTable } from './bom-types';
import { ColumnMap, HeaderMatch, mapColumns } from './header-detection';
import { parseQuantity } from './quantity';

export type HierarchySource = 'parent_column' | 'level_column' | 'item_numbers' | 'none';

export interface RowsToItems {
  items: BomItem[];
  hierarchySource: HierarchySource;
  warnings: string[];
}

const MAX_ROW_WARNINGS = 20;

function text(cell: CellValue | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  const value = typeof cell === 'number' ? String(cell) : cell.trim();
  return value === '' ? null : value;
}

/** "3" -> 3, "1.2.1" -> 3, "..2" -> 2, "..." -> 3, numbers as they are; null when unreadable. */
export function parseLevel(cell: CellValue): number | null {
  if (typeof cell === 'number') return Number.isInteger(cell) && cell >= 0 ? cell : null;
  const value = (cell ?? '').trim();
  if (value === '') return null;
  const indented = /^(\.*)\s*(\d+)$/.exec(value);
  if (indented) return Number(indented[2]);
  if (/^\.+$/.test(value)) return value.length;
  if (/^\d+(\.\d+)+\.?$/.test(value)) return value.replace(/\.$/, '').split('.').length;
  return null;
}

function isDottedItemNumber(value: string | null): boolean {
  return value !== null && /^\d+(\.\d+)*\.?$/.test(value);
}

class RowWarnings {
  readonly list: string[] = [];
  private dropped = 0;
  add(message: string): void {
    if (this.list.length < MAX_ROW_WARNINGS) this.list.push(message);
    else this.dropped++;
  }
  finish(): string[] {
    if (this.dropped > 0) this.list.push(`… and ${this.dropped} more row warnings`);
    return this.list;
  }
}

interface DraftRow {
  rowNumber: number;
  item: BomItem;
  levelCell: CellValue;
  parentCell: string | null;
  itemNumber: string | null;
}

export function rowsToItems(table: RawTable, header: HeaderMatch): RowsToItems {
  const columns: ColumnMap = header.columns;
  const warnings = new RowWarnings();
  const headerKey = JSON.stringify(table.rows[header.rowIndex].cells);
  const drafts: DraftRow[] = [];
  const cellAt = (cells: CellValue[], index: number | undefined): CellValue =>
    index === undefined ? null : (cells[index] ?? null);

  for (const row of table.rows.slice(header.rowIndex + 1)) {
    const cells = row.cells;
    if (JSON.stringify(cells) === headerKey) continue; // header repeated on every printed page
    const mappedCells = Object.values(columns).map((index) => cells[index] ?? null);
    if (mappedCells.every((cell) => cell === null)) continue;
    // A second header-like row (e.g. a new table below) is not data.
    if (
      Object.keys(mapColumns(cells).columns).length >= 3 &&
      cellAt(cells, columns.quantity) !== null &&
      parseQuantity(cellAt(cells, columns.quantity)).problem === 'unreadable'
    ) {
      warnings.add(`Row ${row.rowNumber}: looks like another header row, skipped`);
      continue;
    }
    const quantity = parseQuantity(cellAt(cells, columns.quantity));
    if (columns.quantity !== undefined && quantity.problem === 'empty') {
      warnings.add(`Row ${row.rowNumber}: empty quantity, 1 assumed`);
    } else if (quantity.problem === 'unreadable') {
      warnings.add(
        `Row ${row.rowNumber}: quantity "${text(cellAt(cells, columns.quantity))}" is not a number, 1 assumed`,
      );
    }
    const item: BomItem = {
      item_id: '',
      part_number: text(cellAt(cells, columns.part_number)),
      description: text(cellAt(cells, columns.description)),
      quantity: quantity.value,
      material: text(cellAt(cells, columns.material)),
      revision: text(cellAt(cells, columns.revision)),
      parent_id: null,
      level: 1,
    };
    const unit = text(cellAt(cells, columns.unit));
    if (unit !== null) item.unit = unit;
    drafts.push({
      rowNumber: row.rowNumber,
      item,
      levelCell: cellAt(cells, columns.level),
      parentCell: text(cellAt(cells, columns.parent)),
      itemNumber: text(cellAt(cells, columns.item_id)),
    });
  }

  assignIds(drafts, warnings);
  const hierarchySource = assignHierarchy(drafts, columns, warnings);
  return { items: drafts.map((draft) => draft.item), hierarchySource, warnings: warnings.finish() };
}

/** Item ids: the item/position column when every row has a unique value, else 1..n. */
function assignIds(drafts: DraftRow[], warnings: RowWarnings): void {
  const numbers = drafts.map((draft) => draft.itemNumber);
  const unique = numbers.every((n) => n !== null) && new Set(numbers).size === numbers.length;
  if (!unique && numbers.some((n) => n !== null)) {
    warnings.add(
      'Item/position numbers are missing or repeated: item ids are row sequence numbers',
    );
  }
  drafts.forEach((draft, i) => {
    draft.item.item_id = unique ? (draft.itemNumber as string) : String(i + 1);
  });
}

function assignHierarchy(
  drafts: DraftRow[],
  columns: ColumnMap,
  warnings: RowWarnings,
): HierarchySource {
  if (columns.parent !== undefined && drafts.some((draft) => draft.parentCell !== null)) {
    byParentColumn(drafts, warnings);
    return 'parent_column';
  }
  if (columns.level !== undefined && drafts.some((draft) => parseLevel(draft.levelCell) !== null)) {
    byLevels(
      drafts,
      drafts.map((draft) => parseLevel(draft.levelCell)),
      warnings,
    );
    return 'level_column';
  }
  const numbers = drafts.map((draft) => draft.itemNumber);
  if (numbers.some((n) => n !== null && /^\d+\.\d+/.test(n)) && numbers.every(isDottedItemNumber)) {
    byItemNumbers(drafts);
    return 'item_numbers';
  }
  return 'none';
}

/** The parent cell names a part number (or an item id) of another row. */
function byParentColumn(drafts: DraftRow[], warnings: RowWarnings): void {
  const byPart = new Map<string, DraftRow>();
  const byItem = new Map<string, DraftRow>();
  for (const draft of drafts) {
    if (draft.item.part_number !== null && !byPart.has(draft.item.part_number))
      byPart.set(draft.item.part_number, draft);
    byItem.set(draft.item.item_id, draft);
  }
  for (const draft of drafts) {
    if (draft.parentCell === null) continue;
    const parent = byPart.get(draft.parentCell) ?? byItem.get(draft.parentCell);
    if (!parent || parent === draft) {
      warnings.add(
        `Row ${draft.rowNumber}: parent "${draft.parentCell}" is not in the list, item kept at the top level`,
      );
      continue;
    }
    draft.item.parent_id = parent.item.item_id;
  }
}

/** Indented levels: the parent is the nearest row above with a smaller level. */
function byLevels(drafts: DraftRow[], levels: (number | null)[], warnings: RowWarnings): void {
  const stack: { level: number; draft: DraftRow }[] = [];
  drafts.forEach((draft, i) => {
    let level = levels[i];
    if (level === null) {
      warnings.add(
        `Row ${draft.rowNumber}: level "${text(draft.levelCell) ?? ''}" unreadable, taken as a sibling of the row above`,
      );
      level = stack.length > 0 ? stack[stack.length - 1].level : 1;
    }
    while (stack.length > 0 && stack[stack.length - 1].level >= level) stack.pop();
    draft.item.parent_id = stack.length > 0 ? stack[stack.length - 1].draft.item.item_id : null;
    stack.push({ level, draft });
  });
}

/** Dotted item numbers: "1.2.1" is a child of "1.2"; without that row, of the nearest shallower row. */
function byItemNumbers(drafts: DraftRow[]): void {
  const byNumber = new Map(
    drafts.map((draft) => [(draft.itemNumber as string).replace(/\.$/, ''), draft]),
  );
  const levels = drafts.map(
    (draft) => (draft.itemNumber as string).replace(/\.$/, '').split('.').length,
  );
  drafts.forEach((draft, i) => {
    const segments = (draft.itemNumber as string).replace(/\.$/, '').split('.');
    for (let n = segments.length - 1; n >= 1; n--) {
      const parent = byNumber.get(segments.slice(0, n).join('.'));
      if (parent) {
        draft.item.parent_id = parent.item.item_id;
        return;
      }
    }
    for (let j = i - 1; j >= 0; j--) {
      if (levels[j] < levels[i]) {
        draft.item.parent_id = drafts[j].item.item_id;
        return;
      }
    }
  });
}
