/** STEP result shape (SEED-NOTES §2): the CAD envelope plus assembly, shape counts and totals. */
import { CadExtractionResult } from '../cad-result';
import { BoundingBox } from './mesh-metrics';

/** `product`: named in the text, no geometry read; `external`: its shape is in another file. */
export type StepShapeType = 'assembly' | 'solid' | 'product' | 'external';

/** Mass properties the CAD system wrote into the file (geometric validation properties). */
export interface StepDeclaredProperties {
  volume: number | null;
  surface_area: number | null;
  /** In the part's own coordinate system (for a placed occurrence it differs from the mesh's). */
  center_of_mass: [number, number, number] | null;
  /** mesh / declared − 1 (relative), null when either is missing. */
  volume_deviation: number | null;
  surface_area_deviation: number | null;
}

export interface StepPart {
  name: string;
  /** Position in the tree, "1", "1.2", "1.2.3": stable for one file, unique per occurrence. */
  part_id: string;
  shape_type: StepShapeType;
  /** Mesh approximation, in the output length unit cubed; null when not calculated. */
  volume: number | null;
  surface_area: number | null;
  center_of_mass: [number, number, number] | null;
  bbox: BoundingBox | null;
  /** "#rrggbb" from the STEP presentation styles, null when the part has none. */
  color: string | null;
  material: string | null;
  num_faces: number;
  /** CAD-declared (authoritative) mass properties of this product, null when the file has none. */
  validation: StepDeclaredProperties | null;
  /** For `external` parts: the file(s) (DOCUMENT_FILE) holding the shape. */
  external_files?: string[];
  children: StepPart[];
}

export interface StepAssembly {
  name: string;
  parts: StepPart[];
  /** Solid occurrences in the whole tree (a part used twice counts twice). */
  total_parts: number;
  /** Entries directly under the top assembly. */
  root_parts: number;
  /** CAD-declared mass properties of the top product, when the file has them. */
  validation?: StepDeclaredProperties | null;
}

export interface StepShapeCounts {
  assemblies: number;
  solids: number;
  unique_parts: number;
  faces: number;
  triangles: number;
  /** Counts of B-rep entities in the file text (definitions, not occurrences). */
  file_entities: Record<string, number>;
}

export interface StepExtractionResult extends CadExtractionResult {
  assembly: StepAssembly | null;
  shape_counts: StepShapeCounts | Record<string, never>;
  total_volume: number | null;
  total_surface_area: number | null;
  overall_bbox: BoundingBox | null;
}
