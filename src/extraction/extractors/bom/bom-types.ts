/** Types of the BOM extractor's result and options (the Bom/BomItem shapes live in ../cad-result). */
import { Bom } from '../cad-result';
import { BaseExtractionResult } from '../extractor';

/** One worksheet (or the single CSV "sheet") seen in the file. */
export interface BomSheetInfo {
  name: string;
  /** 0-based position in the workbook. */
  index: number;
  /** Rows holding at least one value. */
  row_count: number;
  /** 1-based row number of the detected header, null when none was found. */
  header_row: number | null;
  /** True for the sheet the BOM was read from. */
  selected: boolean;
}

export interface BomExtractionResult extends BaseExtractionResult {
  source_type: 'bom';
  bom: Bom;
  sheets: BomSheetInfo[];
}

/** Options after validation (see docs/bom-extractor.md). */
export interface BomOptions {
  /** Sheet name, or 0-based sheet index; null = first sheet with a recognisable header. */
  sheet: string | number | null;
  /** 1-based row number of the header row; null = detect. */
  header_row: number | null;
  flatten: boolean;
  include_path: boolean;
  include_inducted: boolean;
  include_level_prefix: boolean;
  include_parent_reference: boolean;
  aggregate: boolean;
}

/** Options of flattenBom(); every flag defaults to true except aggregate. */
export interface FlattenOptions {
  include_path?: boolean;
  include_inducted?: boolean;
  include_level_prefix?: boolean;
  include_parent_reference?: boolean;
  aggregate?: boolean;
}

/** The semantic role a spreadsheet column can play. */
export type BomColumnRole =
  | 'item_id'
  | 'part_number'
  | 'description'
  | 'quantity'
  | 'material'
  | 'revision'
  | 'level'
  | 'parent'
  | 'unit';

/** A cell as read from a sheet: trimmed text, or a number when the cell held one. */
export type CellValue = string | number | null;

/** A raw table: rows of cells, with each row's 1-based number in the file. */
export interface RawTable {
  name: string;
  index: number;
  rows: { rowNumber: number; cells: CellValue[] }[];
  warnings: string[];
}
