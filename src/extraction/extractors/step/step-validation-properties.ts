/**
 * CAD-declared mass properties ("geometric validation properties", CAx-IF recommended practice):
 *   PROPERTY_DEFINITION('geometric validation property', 'volume', #target)
 *   PROPERTY_DEFINITION_REPRESENTATION(#that, #rep)
 *   REPRESENTATION('volume', (#item), #ctx)
 *   #item = MEASURE_REPRESENTATION_ITEM('volume measure', VOLUME_MEASURE(664.37), #derived_unit)
 * and likewise AREA_MEASURE for the surface area and a CARTESIAN_POINT ('centre point') for the
 * centroid. The target is the part's PRODUCT_DEFINITION_SHAPE or a SHAPE_ASPECT of it; values on
 * an occurrence (a PRODUCT_DEFINITION_SHAPE of a NEXT_ASSEMBLY_USAGE_OCCURRENCE) are in the
 * parent's coordinates and are not read. Values are converted to the output length unit.
 */
import {
  measureOf,
  numbersAt,
  refAt,
  refsAt,
  StepEntityGraph,
  StepRecord,
  textAt,
} from './step-entity-graph';

export const VALIDATION_RECORD_TYPES = [
  'PROPERTY_DEFINITION',
  'PROPERTY_DEFINITION_REPRESENTATION',
  'REPRESENTATION',
  'MEASURE_REPRESENTATION_ITEM',
  'SHAPE_ASPECT',
  'DERIVED_UNIT',
  'DERIVED_UNIT_ELEMENT',
];

export interface DeclaredMassProperties {
  volume: number | null;
  surface_area: number | null;
  /** In the part's own coordinate system (not placed in an assembly). */
  center_of_mass: [number, number, number] | null;
}

export interface ValidationUnits {
  /** Metres per unit of the file's length unit. */
  fileMetres: number;
  /** Metres per unit of the output length unit. */
  outputMetres: number;
  /** Length units by instance id (the reader's), to resolve DERIVED_UNIT exponents. */
  lengthUnits: Map<number, { metres: number }>;
}

const VALIDATION_NAME = /^geometric[ _]validation[ _]property$/i;

/**
 * PRODUCT_DEFINITION id -> declared values. `fetch` loads records the first pass did not keep
 * (the centroid points) by id.
 */
export function readValidationProperties(
  graph: StepEntityGraph,
  units: ValidationUnits,
  fetch: (ids: number[]) => void,
): Map<number, DeclaredMassProperties> {
  const found: { definition: number; items: number[] }[] = [];
  for (const pdr of graph.ofType('PROPERTY_DEFINITION_REPRESENTATION')) {
    const property = graph.get(refAt(pdr.args, 0));
    if (!property || property.type !== 'PROPERTY_DEFINITION') continue;
    if (!VALIDATION_NAME.test(textAt(property.args, 0).trim())) continue;
    const definition = definitionOfTarget(graph, refAt(property.args, 2));
    const rep = graph.get(refAt(pdr.args, 1));
    if (definition === null || !rep || rep.type !== 'REPRESENTATION') continue;
    found.push({ definition, items: refsAt(rep.args, 1) });
  }
  const missing = graph.missing(found.flatMap((f) => f.items));
  if (missing.length > 0) fetch(missing);

  const out = new Map<number, DeclaredMassProperties>();
  for (const { definition, items } of found) {
    const entry = out.get(definition) ?? { volume: null, surface_area: null, center_of_mass: null };
    for (const item of items) readItem(graph, graph.get(item), units, entry);
    out.set(definition, entry);
  }
  for (const [id, entry] of out)
    if (entry.volume === null && entry.surface_area === null && entry.center_of_mass === null)
      out.delete(id);
  return out;
}

function readItem(
  graph: StepEntityGraph,
  item: StepRecord | null,
  units: ValidationUnits,
  entry: DeclaredMassProperties,
): void {
  if (!item) return;
  if (item.type === 'CARTESIAN_POINT') {
    const xyz = numbersAt(item.args, 1);
    if (xyz.length === 3 && entry.center_of_mass === null) {
      const k = units.fileMetres / units.outputMetres;
      entry.center_of_mass = [xyz[0] * k, xyz[1] * k, xyz[2] * k];
    }
    return;
  }
  // simple MEASURE_REPRESENTATION_ITEM(name, VALUE, unit) or a complex instance whose
  // MEASURE_WITH_UNIT part carries (VALUE, unit)
  const withValue =
    item.type === 'MEASURE_REPRESENTATION_ITEM' && !item.parts
      ? item.args.slice(1)
      : (item.parts?.find((p) => p.type === 'MEASURE_WITH_UNIT')?.args ?? []);
  const measure = measureOf(withValue[0]);
  if (!measure) return;
  const unitRef = refAt(withValue, 1);
  if (measure.type === 'VOLUME_MEASURE' && entry.volume === null)
    entry.volume = measure.value * scale(graph, unitRef, 3, units);
  else if (measure.type === 'AREA_MEASURE' && entry.surface_area === null)
    entry.surface_area = measure.value * scale(graph, unitRef, 2, units);
}

/**
 * Factor from the measure's unit to the output unit: a DERIVED_UNIT of length units with their
 * exponents when it can be resolved, else the file's length unit to the power `exponent`.
 */
function scale(
  graph: StepEntityGraph,
  unitRef: number | null,
  exponent: number,
  units: ValidationUnits,
): number {
  const derived = graph.get(unitRef);
  if (derived && derived.type === 'DERIVED_UNIT') {
    let factor = 1;
    let power = 0;
    for (const elementRef of refsAt(derived.args, 0)) {
      const element = graph.get(elementRef);
      const length = units.lengthUnits.get(refAt(element?.args ?? [], 0) ?? -1);
      const exp = measureOf(element?.args[1])?.value;
      if (!length || exp === undefined) {
        power = -1;
        break;
      }
      factor *= (length.metres / units.outputMetres) ** exp;
      power += exp;
    }
    if (power === exponent) return factor;
  }
  return (units.fileMetres / units.outputMetres) ** exponent;
}

/** The PRODUCT_DEFINITION a property is about: via its shape, or a shape aspect of that shape. */
function definitionOfTarget(graph: StepEntityGraph, id: number | null, depth = 0): number | null {
  const record = graph.get(id);
  if (!record || depth > 3) return null;
  if (record.type === 'PRODUCT_DEFINITION_SHAPE' || record.type === 'SHAPE_ASPECT') {
    const of = refAt(record.args, 2);
    const target = graph.get(of);
    if (!target) return null;
    if (
      target.type === 'PRODUCT_DEFINITION' ||
      target.type === 'PRODUCT_DEFINITION_WITH_ASSOCIATED_DOCUMENTS'
    )
      return target.id;
    return definitionOfTarget(graph, of, depth + 1);
  }
  return null;
}
