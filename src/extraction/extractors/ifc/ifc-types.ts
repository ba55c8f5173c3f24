/** IFC result shape (SEED-NOTES §2): the CAD envelope plus elements, spatial tree and counts. */
import { CadExtractionResult } from '../cad-result';

export interface IfcQuantityValue {
  value: number;
  /** Symbol of the quantity's own unit or the project unit of its kind; null for counts. */
  unit: string | null;
}

export type IfcPropertyValue =
  string | number | boolean | null | IfcPropertyValue[] | { [key: string]: IfcPropertyValue };

export interface IfcElement {
  global_id: string | null;
  ifc_class: string;
  name: string | null;
  description: string | null;
  object_type: string | null;
  /** Name of the storey the element sits in (directly or through its parent assembly / space). */
  storey: string | null;
  /** Property sets, the type's first and the occurrence's own overriding them. */
  properties: Record<string, Record<string, IfcPropertyValue>>;
  quantities: Record<string, Record<string, IfcQuantityValue>>;
  materials: string[];
  /** Name of the type object (IfcRelDefinesByType), if any. */
  type_name: string | null;
}

export interface IfcSpatialNode {
  global_id: string | null;
  name: string | null;
  description: string | null;
  long_name: string | null;
}

export interface IfcStorey extends IfcSpatialNode {
  /** Elevation in the project length unit, null when not given. */
  elevation: number | null;
  building: string | null;
  element_count: number;
}

export interface IfcSpace extends IfcSpatialNode {
  storey: string | null;
}

export interface IfcBuilding extends IfcSpatialNode {
  site: string | null;
}

export interface IfcSpatialStructure {
  project: IfcSpatialNode | null;
  sites: IfcSpatialNode[];
  buildings: IfcBuilding[];
  storeys: IfcStorey[];
  spaces: IfcSpace[];
}

export interface IfcTypeObject {
  global_id: string | null;
  ifc_class: string;
  name: string | null;
  description: string | null;
  predefined_type: string | null;
  instance_count: number;
  property_sets: string[];
}

export interface IfcExtractionResult extends CadExtractionResult {
  elements: IfcElement[];
  spatial_structure: IfcSpatialStructure | null;
  element_counts: Record<string, number>;
  property_sets: string[];
  type_objects: IfcTypeObject[];
}
