/** Result and intermediate types of the PDF extractor (SEED-NOTES.md §2, PDF). */
import { BaseExtractionResult } from '../extractor';
import { Bom, CadTitleBlock } from '../cad-result';

/** [x0, y0, x1, y1] in PDF points, origin top-left of the page as displayed (rotation applied). */
export type BBox = [number, number, number, number];

export type ColumnType =
  'integer' | 'decimal' | 'percentage' | 'currency' | 'date' | 'boolean' | 'text';

export interface PdfTable {
  headers: string[];
  rows: string[][];
  page: number;
  confidence: number;
  bbox: BBox;
  num_rows: number;
  num_columns: number;
  column_types: ColumnType[];
  /** How many leading grid rows were merged into `headers` (0 = no header found). */
  header_rows: number;
  /** 'ruled' = drawn grid lines; 'borderless' = inferred from text alignment. */
  detection: 'ruled' | 'borderless';
}

export interface PdfDimension {
  value: number | null;
  unit: string | null;
  /** Signed deviations: ±0.1 gives +0.1 / -0.1; +0.2/-0.1 gives +0.2 / -0.1. */
  tolerance_plus: number | null;
  tolerance_minus: number | null;
  dimension_type: 'linear' | 'diameter' | 'radius' | 'angular' | 'thread';
  label: string;
  page: number;
  confidence: number;
  bbox: BBox;
  /** Thread pitch (M10x1.5 -> 1.5); null for coarse threads written without pitch. */
  pitch?: number | null;
  /** ISO fit class written after the value (Ø20 H7 -> "H7"). */
  fit?: string | null;
}

export interface PdfTextBlock {
  text: string;
  page: number;
  /** 1 for the PDF's own text layer; the OCR word confidence (0..1) for OCR'd text. */
  confidence: number;
  bbox: BBox;
  font_size: number;
  is_title: boolean;
  source: 'text' | 'ocr';
}

export interface PdfExtractionResult extends BaseExtractionResult {
  tables: PdfTable[];
  dimensions: PdfDimension[];
  text_blocks: PdfTextBlock[];
  title_block: CadTitleBlock | null;
  bom: Bom | null;
}

/** One positioned run of text (a pdf.js text item or an OCR word), in display coordinates. */
export interface TextItem {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  fontSize: number;
  /** False for text running vertically or upside down on the displayed page. */
  horizontal: boolean;
  confidence: number;
  /** Set on words read by OCR. */
  fromOcr?: boolean;
  /** The OCR engine's line for the word: the layout keeps its line grouping. */
  ocrLine?: number;
}

/** Items on one baseline separated by less than about one em: a phrase, a cell, a label. */
export interface TextSegment {
  text: string;
  bbox: BBox;
  fontSize: number;
  items: TextItem[];
  confidence: number;
}

/** Everything one page contributes to the page-level analyses. */
export interface PageText {
  page: number;
  width: number;
  height: number;
  items: TextItem[];
  segments: TextSegment[];
  source: 'text' | 'ocr';
}
