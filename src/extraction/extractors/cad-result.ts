/** The CAD envelope shared by DXF, IFC and STEP results (SEED-NOTES.md §2). */
import { BaseExtractionResult } from './extractor';

export interface CadLayer {
  name: string;
  color: string | null;
  linetype: string | null;
  lineweight: number | null;
  is_on: boolean;
  is_frozen: boolean;
  is_locked: boolean;
  entity_count: number;
}

export interface CadAttribute {
  tag: string;
  value: string;
}

export interface CadBlock {
  name: string;
  insert_count: number;
  base_point: [number, number, number];
  attributes: CadAttribute[];
  entity_count: number;
}

export interface CadDimension {
  value: number | null;
  unit: string | null;
  tolerance_plus: number | null;
  tolerance_minus: number | null;
  dimension_type: string;
  label: string | null;
  layer?: string | null;
  position?: [number, number, number] | null;
}

export interface CadTextBlock {
  text: string;
  height: number | null;
  position: [number, number, number] | null;
  layer?: string | null;
  rotation?: number | null;
  kind?: 'TEXT' | 'MTEXT' | 'ATTRIB' | string;
}

export interface CadTitleBlock {
  drawing_number: string | null;
  title: string | null;
  revision: string | null;
  date: string | null;
  author: string | null;
  company: string | null;
  scale: string | null;
  sheet: string | null;
  material: string | null;
  finish: string | null;
  custom_fields: Record<string, string>;
  confidence: number;
}

/** A title block with no field found yet. */
export function emptyTitleBlock(confidence = 0): CadTitleBlock {
  return {
    drawing_number: null,
    title: null,
    revision: null,
    date: null,
    author: null,
    company: null,
    scale: null,
    sheet: null,
    material: null,
    finish: null,
    custom_fields: {},
    confidence,
  };
}

export interface GeometrySummary {
  lines: number;
  circles: number;
  arcs: number;
  polylines: number;
  splines: number;
  ellipses: number;
  points: number;
  hatches: number;
  solids: number;
  meshes: number;
  total_entities: number;
}

export interface BomItem {
  item_id: string;
  part_number: string | null;
  description: string | null;
  quantity: number;
  material: string | null;
  revision: string | null;
  parent_id: string | null;
  level: number;
  [extra: string]: unknown;
}

/** The columns every BOM item has, in wire order. */
export const BOM_STANDARD_HEADERS: readonly string[] = [
  'item_id',
  'part_number',
  'description',
  'quantity',
  'material',
  'revision',
  'parent_id',
  'level',
];

export interface Bom {
  items: BomItem[];
  headers: string[];
  total_items: number;
  hierarchy_level: number;
  is_flat: boolean;
}

export interface CadExtractionResult extends BaseExtractionResult {
  layers: CadLayer[];
  blocks: CadBlock[];
  dimensions: CadDimension[];
  text_blocks: CadTextBlock[];
  title_block: CadTitleBlock | null;
  geometry_summary: GeometrySummary;
  entities: Record<string, unknown>[];
  bom: Bom | null;
}

export function emptyGeometrySummary(): GeometrySummary {
  return {
    lines: 0,
    circles: 0,
    arcs: 0,
    polylines: 0,
    splines: 0,
    ellipses: 0,
    points: 0,
    hatches: 0,
    solids: 0,
    meshes: 0,
    total_entities: 0,
  };
}
