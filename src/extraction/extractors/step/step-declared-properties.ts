/**
 * Puts the CAD-declared mass properties (step-validation-properties.ts) beside the mesh values:
 * each part and assembly gets `validation` for its product, with the mesh's relative deviation,
 * and a warning when the mesh is off by more than DEVIATION_WARNING (damaged or lost geometry).
 */
import { roundMetric } from './mesh-metrics';
import { walkParts } from './step-assembly';
import { StepFileSummary } from './step-file-reader';
import { ProductStructure } from './step-product-structure';
import { StepAssembly, StepDeclaredProperties, StepPart } from './step-types';
import { DeclaredMassProperties, readValidationProperties } from './step-validation-properties';

export const DEVIATION_WARNING = 0.01;

const METRES_PER_OUTPUT_UNIT: Record<string, number> = {
  mm: 0.001,
  cm: 0.01,
  m: 1,
  in: 0.0254,
  ft: 0.3048,
};

export function attachDeclaredProperties(
  tree: StepAssembly,
  summary: StepFileSummary,
  structure: ProductStructure,
  outputSymbol: string,
  warnings: string[],
): number {
  const declared = readValidationProperties(
    summary.graph,
    {
      fileMetres: summary.length_unit?.metres ?? 0.001,
      outputMetres: METRES_PER_OUTPUT_UNIT[outputSymbol] ?? 0.001,
      lengthUnits: summary.length_units_by_id,
    },
    summary.fetchRecords,
  );
  if (declared.size === 0) return 0;
  // parts carry product names (as materials do): the first definition of a name wins
  const byName = new Map<string, DeclaredMassProperties>();
  for (const [definition, values] of declared) {
    const name = structure.byDefinition.get(definition)?.name;
    if (name !== undefined && !byName.has(name)) byName.set(name, values);
  }
  const warned = new Set<string>();
  const attach = (part: StepPart) => {
    const values = byName.get(part.name);
    if (!values) return;
    part.validation = compare(part.volume, part.surface_area, values);
    const dev = part.validation.volume_deviation;
    if (dev !== null && Math.abs(dev) > DEVIATION_WARNING && !warned.has(part.name)) {
      warned.add(part.name);
      warnings.push(
        `"${part.name}": the mesh volume differs from the volume the file declares by ${(dev * 100).toFixed(2)} % (${part.volume} vs ${values.volume}); its geometry may be damaged or incompletely read`,
      );
    }
  };
  walkParts(tree.parts, attach);
  const top = byName.get(tree.name);
  if (top) {
    const volume = sumOf(tree.parts.map((p) => p.volume));
    const area = sumOf(tree.parts.map((p) => p.surface_area));
    tree.validation = compare(volume, area, top);
  }
  return byName.size;
}

function compare(
  volume: number | null,
  area: number | null,
  values: DeclaredMassProperties,
): StepDeclaredProperties {
  return {
    volume: values.volume === null ? null : roundMetric(values.volume),
    surface_area: values.surface_area === null ? null : roundMetric(values.surface_area),
    center_of_mass: values.center_of_mass
      ? (values.center_of_mass.map(roundMetric) as [number, number, number])
      : null,
    volume_deviation: deviation(volume, values.volume),
    surface_area_deviation: deviation(area, values.surface_area),
  };
}

function deviation(mesh: number | null, declared: number | null): number | null {
  if (mesh === null || declared === null || declared === 0) return null;
  return Number((mesh / declared - 1).toPrecision(4));
}

function sumOf(values: (number | null)[]): number | null {
  return values.some((v) => v !== null) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : null;
}
