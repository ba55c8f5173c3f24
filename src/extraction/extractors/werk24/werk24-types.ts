/** The Werk24 result contract (SEED-NOTES §2): base fields + dimensions, GD&T, threads, finishes, materials, title block. */
import { CadTitleBlock } from '../cad-result';
import { BaseExtractionResult } from '../extractor';

export interface Werk24Dimension {
  value: number | null;
  unit: string | null;
  tolerance_plus: number | null;
  tolerance_minus: number | null;
  /** linear, diameter, spherical_diameter, square, width_across_flats, thread, chamfer. */
  dimension_type: string;
  label: string | null;
  confidence: number | null;
  /** "3x Ø5": the label's multiplier. */
  quantity: number;
  /** Werk24's toleration_type: OFF_SIZE, FIT_SIZE_ISO, GENERAL_TOLERANCES, THEORETICALLY_EXACT… */
  tolerance_type: string | null;
  /** ISO fit such as "H7" when the tolerance is a fit. */
  fit: string | null;
  page: number;
  variant_id: string | null;
  sectional_id: string | null;
}

export interface Werk24GdtAnnotation {
  /** The ISO 1101 symbol, e.g. "⌖". */
  characteristic: string;
  /** e.g. "position", "flatness"; null for symbols we do not know. */
  characteristic_name: string | null;
  label: string;
  tolerance_value: number | null;
  zone_shape: string | null;
  material_condition: string | null;
  datums: string[];
  /** Werk24 gives no confidence for GD&T frames: null, never filtered. */
  confidence: number | null;
  page: number;
  variant_id: string | null;
  sectional_id: string | null;
}

export interface Werk24Thread {
  label: string;
  /** ISO_METRIC, UTS, WHITWORTH, NPT, ACME, SM, KNUCKLE. */
  thread_type: string;
  diameter: number | null;
  pitch: number | null;
  threads_per_inch: number | null;
  unit: string | null;
  handedness: string | null;
  length: number | null;
  /** Number of equal thread elements named by one label ("3x M5"). */
  quantity: number;
  /** male / female / null. */
  gender: string | null;
  confidence: number | null;
  page: number;
  variant_id: string | null;
  sectional_id: string | null;
}

export interface Werk24SurfaceFinish {
  label: string;
  standard: string | null;
  /** Ra, Rz, … of the first condition. */
  parameter: string | null;
  value: number | null;
  /** µm for metric symbols, µin for imperial ones. */
  unit: string | null;
  roughness_grade: string | null;
  material_removal: string | null;
  direction_of_lay: string | null;
  applies_all_around: boolean;
  confidence: number | null;
  page: number;
  variant_id: string | null;
  sectional_id: string | null;
}

export interface Werk24Material {
  label: string;
  designation: string | null;
  standard: string | null;
  /** Werk24's category path, e.g. ["FERROUS_ALLOY", "STEEL", "STAINLESS_STEEL"]. */
  category: string[];
  source: 'title_block';
  confidence: number | null;
  page: number;
}

/** The CAD title block, except that Werk24 may give no confidence. */
export type Werk24TitleBlock = Omit<CadTitleBlock, 'confidence'> & { confidence: number | null };

export interface Werk24ExtractionResult extends BaseExtractionResult {
  source_type: 'werk24';
  dimensions: Werk24Dimension[];
  gdt_annotations: Werk24GdtAnnotation[];
  threads: Werk24Thread[];
  surface_finishes: Werk24SurfaceFinish[];
  materials: Werk24Material[];
  title_block: Werk24TitleBlock | null;
}

export interface Werk24Options {
  extract_dimensions: boolean;
  extract_gdt: boolean;
  extract_threads: boolean;
  extract_surface_finish: boolean;
  extract_materials: boolean;
  extract_title_block: boolean;
  /** 0..1; items with a lower confidence are dropped. */
  confidence_threshold: number;
}
