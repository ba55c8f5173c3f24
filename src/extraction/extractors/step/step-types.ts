/** STEP result shape (SEED-NOTES §2): the CAD envelope plus assembly, shape counts and totals. */
import { CadExtractionResult } from '../cad-result';
import { BoundingBox } from './mesh-metrics';

export type StepShapeType = 'assembly' | 'solid' | 'product';

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
  children: StepPart[];
}

export interface StepAssembly {
  name: string;
  parts: StepPart[];
  /** Solid occurrences in the whole tree (a part used twice counts twice). */
  total_parts: number;
  /** Entries directly under the top assembly. */
  root_parts: number;
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
