/**
 * STEP (ISO 10303-21, AP203/AP214/AP242) extractor: our own text reader for header, entity
 * counts, products and units, then OpenCASCADE (occt-import-js) for the product tree and
 * tessellated solids, from which volumes, areas, centres and boxes are computed.
 */
import { readFile } from 'fs/promises';
import { basename, extname } from 'path';
import { emptyGeometrySummary } from '../cad-result';
import { ExtractionError } from '../extraction-error';
import { boolOption, Extractor, ExtractorInput, throwIfAborted } from '../extractor';
import { sniffIso10303 } from './iso10303-syntax';
import { combinedCenter, mergeBoxes, roundMetric } from './mesh-metrics';
import { occtUnitFor, OcctResult, OcctTessellation, readStepGeometry } from './occt-kernel';
import { buildAssembly, countAssemblies, walkParts } from './step-assembly';
import { buildStepBom } from './step-bom';
import { readStepFile, StepFileSummary } from './step-file-reader';
import { checkFaceCount } from './step-face-check';
import { attachDeclaredProperties } from './step-declared-properties';
import { ProductStructure, readProductStructure } from './step-product-structure';
import { productTreeAssembly, restoreSubAssemblies } from './step-structure-merge';
import { StepAssembly, StepExtractionResult, StepPart, StepShapeCounts } from './step-types';

/**
 * Tessellation when volumes or areas are asked for: deflection relative to the bounding box
 * 5× and angular deflection 5× finer than occt-import-js' defaults (0.001 and 0.5 rad), which
 * overstate parts with small holes; measured accuracy in docs/ifc-step-extractors.md.
 */
export const MASS_PROPERTY_TESSELLATION: OcctTessellation = {
  linearDeflectionType: 'bounding_box_ratio',
  linearDeflection: 0.0002,
  angularDeflection: 0.1,
};

/** occt-import-js' own defaults, used when no mass properties are asked for. */
const DEFAULT_TESSELLATION: OcctTessellation = {
  linearDeflectionType: 'bounding_box_ratio',
  linearDeflection: 0.001,
  angularDeflection: 0.5,
};

/**
 * The finer tessellation has 2–30× the triangles; above this size a file keeps the default so
 * the meshes of a large assembly stay within the thread's memory.
 */
export const FINE_TESSELLATION_MAX_BYTES = 20 * 1024 * 1024;

const BREP_ENTITIES = [
  'MANIFOLD_SOLID_BREP',
  'BREP_WITH_VOIDS',
  'CLOSED_SHELL',
  'OPEN_SHELL',
  'SHELL_BASED_SURFACE_MODEL',
  'ADVANCED_FACE',
  'FACE_SURFACE',
  'EDGE_CURVE',
  'VERTEX_POINT',
];

interface StepOptions {
  extractAssembly: boolean;
  extractParts: boolean;
  calculateVolumes: boolean;
  calculateAreas: boolean;
  countShapes: boolean;
}

function readOptions(input: ExtractorInput): StepOptions {
  const o = input.options;
  return {
    extractAssembly: boolOption(o, 'extract_assembly', true),
    extractParts: boolOption(o, 'extract_parts', true),
    calculateVolumes: boolOption(o, 'calculate_volumes', true),
    calculateAreas: boolOption(o, 'calculate_areas', true),
    countShapes: boolOption(o, 'count_shapes', true),
  };
}

export const stepExtractor: Extractor<StepExtractionResult> = {
  format: 'step',
  async extract(input: ExtractorInput): Promise<StepExtractionResult> {
    const opts = readOptions(input);
    input.onProgress({ progress: 0, message: 'reading file' });
    const bytes = await readFile(input.filePath);
    throwIfAborted(input.signal);
    const sniff = sniffIso10303(bytes, 'STEP');
    const text = bytes.toString('latin1');
    const summary = readStepFile(text, sniff.headerText);
    rejectNonStep(summary);
    if (summary.total_entities === 0) {
      throw new ExtractionError(
        'CORRUPT_FILE',
        'The STEP file has no entity instances in its DATA section',
      );
    }
    input.onProgress({ progress: 30, message: `read ${summary.total_entities} entities` });
    throwIfAborted(input.signal);

    const warnings: string[] = [];
    if (summary.malformed_records > 0)
      warnings.push(`${summary.malformed_records} records could not be read as entity instances`);
    const output = occtUnitFor(summary.length_unit?.symbol);
    if (!summary.length_unit)
      warnings.push('The file declares no length unit; figures assume millimetres');
    const needGeometry =
      opts.extractAssembly ||
      opts.extractParts ||
      opts.calculateVolumes ||
      opts.calculateAreas ||
      opts.countShapes;
    // OpenCASCADE rejects a UTF-8 byte-order mark that some exporters write
    const kernelBytes =
      bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    const structure = readProductStructure(summary.graph);
    const tessellation =
      (opts.calculateVolumes || opts.calculateAreas) && bytes.length <= FINE_TESSELLATION_MAX_BYTES
        ? MASS_PROPERTY_TESSELLATION
        : DEFAULT_TESSELLATION;
    const geometry = needGeometry
      ? await readGeometrySafely(kernelBytes, output.unit, tessellation, warnings)
      : null;
    throwIfAborted(input.signal);
    input.onProgress({ progress: 80, message: 'computing mass properties' });
    if (geometry?.meshes?.length === 0) warnings.push(noSolidsMessage(structure));

    const fallbackName =
      structure.main?.name ||
      summary.products[0]?.name ||
      basename(input.filename, extname(input.filename));
    const assemblyOptions = {
      calculateVolumes: opts.calculateVolumes,
      calculateAreas: opts.calculateAreas,
    };
    let tree: StepAssembly;
    if (geometry?.root && geometry.meshes && geometry.meshes.length > 0) {
      tree = buildAssembly(geometry.root, geometry.meshes, fallbackName, assemblyOptions);
      restoreSubAssemblies(tree, structure.main, assemblyOptions);
      if (structure.external_files.length > 0)
        warnings.push(externalPartsMessage(structure, hasExternalParts(tree.parts)));
    } else if (structure.main) tree = productTreeAssembly(structure.main);
    else tree = productOnlyAssembly(summary, fallbackName);
    // the kernel names parts after their products: attach the materials the text assigns to them
    walkParts(tree.parts, (part) => {
      const materials = summary.materials[part.name];
      if (materials) part.material = materials.join(', ');
    });
    attachDeclaredProperties(tree, summary, structure, output.symbol, warnings);
    if (geometry?.meshes) checkFaceCount(tree, summary.entity_counts, warnings);
    const result = assembleResult(
      input,
      summary,
      tree,
      geometry,
      opts,
      warnings,
      output.symbol,
      structure.main !== null,
      tessellation,
    );
    input.onProgress({ progress: 100, message: `${tree.total_parts} parts` });
    return result;
  },
};

function rejectNonStep(summary: StepFileSummary): void {
  const schema = summary.header.schema.join(' ').toUpperCase();
  if (/^IFC/.test(schema.trim())) {
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      `The file is an IFC model (schema ${summary.header.schema.join(', ')}), not a STEP CAD file; upload it as .ifc`,
    );
  }
}

/** The kernel may fail or abort inside WASM: that costs the geometry, not the whole answer. */
async function readGeometrySafely(
  bytes: Uint8Array,
  unit: Parameters<typeof readStepGeometry>[1],
  tessellation: OcctTessellation,
  warnings: string[],
): Promise<OcctResult | null> {
  try {
    const result = await readStepGeometry(bytes, unit, tessellation);
    if (!result.success || !result.root || !result.meshes) {
      warnings.push(
        'The geometry kernel (OpenCASCADE) could not read this file; only header, entity counts and product names are given',
      );
      return null;
    }
    return result;
  } catch (err) {
    warnings.push(
      `The geometry kernel (OpenCASCADE) failed on this file (${err instanceof Error ? err.message : String(err)}); only header, entity counts and product names are given`,
    );
    return null;
  }
}

function noSolidsMessage(structure: ProductStructure): string {
  if (structure.external_files.length === 0)
    return 'The file holds no solid geometry the kernel could tessellate';
  return `The parts' shapes are in ${listFiles(structure.external_files)}, referenced as external documents; this file holds the product structure only, so no volumes, areas or boxes are given`;
}

function externalPartsMessage(structure: ProductStructure, listed: boolean): string {
  const where = `Some parts' shapes are in ${listFiles(structure.external_files)}, referenced as external documents`;
  return listed
    ? `${where}; they are listed as external parts without volumes, areas or boxes, and the totals leave them out`
    : `${where}; they are missing from the parts and the totals`;
}

function hasExternalParts(parts: StepPart[]): boolean {
  let found = false;
  walkParts(parts, (p) => {
    if (p.shape_type === 'external') found = true;
  });
  return found;
}

function listFiles(files: string[]): string {
  const shown = files.slice(0, 10).join(', ') + (files.length > 10 ? ', …' : '');
  return `${files.length} other file${files.length === 1 ? '' : 's'} (${shown})`;
}

/** Without geometry: the product names from the text, as a flat list without measurements. */
function productOnlyAssembly(summary: StepFileSummary, fallbackName: string): StepAssembly {
  const parts: StepPart[] = summary.products.map((p, i) => ({
    name: p.name,
    part_id: `${i + 1}`,
    shape_type: 'product',
    volume: null,
    surface_area: null,
    center_of_mass: null,
    bbox: null,
    color: null,
    material: null,
    num_faces: 0,
    validation: null,
    children: [],
  }));
  return {
    name: summary.products[0]?.name || fallbackName,
    parts,
    total_parts: parts.length,
    root_parts: parts.length,
  };
}

function assembleResult(
  input: ExtractorInput,
  summary: StepFileSummary,
  tree: StepAssembly,
  geometry: OcctResult | null,
  opts: StepOptions,
  warnings: string[],
  unit: string,
  declaredTree: boolean,
  tessellation: OcctTessellation,
): StepExtractionResult {
  const solids: StepPart[] = [];
  walkParts(tree.parts, (p) => {
    if (p.shape_type === 'solid') solids.push(p);
  });
  const hasGeometry = geometry !== null;
  // no solid read (e.g. parts in other files): no total rather than a misleading 0
  const measured = hasGeometry && solids.length > 0;
  const totalVolume =
    measured && opts.calculateVolumes
      ? roundMetric(solids.reduce((s, p) => s + (p.volume ?? 0), 0))
      : null;
  const totalArea =
    measured && opts.calculateAreas
      ? roundMetric(solids.reduce((s, p) => s + (p.surface_area ?? 0), 0))
      : null;
  const faces = solids.reduce((n, p) => n + p.num_faces, 0);
  const shapeCounts: StepShapeCounts = {
    assemblies: countAssemblies(tree.parts),
    solids: hasGeometry ? solids.length : 0,
    unique_parts: new Set(solids.map((p) => p.name)).size,
    faces,
    triangles: geometry?.meshes
      ? geometry.meshes.reduce((n, m) => n + Math.floor(m.index.array.length / 3), 0)
      : 0,
    file_entities: Object.fromEntries(BREP_ENTITIES.map((t) => [t, summary.entity_counts[t] ?? 0])),
  };
  const assembly = shapeAssembly(tree, opts);
  const geometrySummary = emptyGeometrySummary();
  geometrySummary.solids = shapeCounts.solids;
  geometrySummary.meshes = geometry?.meshes?.length ?? 0;
  geometrySummary.total_entities = summary.total_entities;
  const h = summary.header;
  return {
    source_file: input.filename,
    source_type: 'step',
    success: true,
    metadata: {
      schema: h.schema.join(', ') || null,
      file_name: h.file_name,
      timestamp: h.timestamp,
      author: h.author,
      organization: h.organization,
      originating_system: h.originating_system,
      preprocessor_version: h.preprocessor_version,
      authorization: h.authorization,
      description: h.description,
      units: {
        file_length_unit: summary.length_unit?.name ?? null,
        length: unit,
        area: `${unit}2`,
        volume: `${unit}3`,
        angle: summary.angle_unit,
      },
      entity_counts: summary.entity_counts,
      total_entities: summary.total_entities,
      products: summary.products.map((p) => p.name),
      mass_properties:
        tree.validation || someDeclared(tree.parts)
          ? 'approximated from the tessellated mesh; CAD-declared values in validation'
          : 'approximated from the tessellated mesh',
      center_of_mass: opts.calculateVolumes
        ? combinedCenter(
            solids.map((p) => ({ volume: p.volume ?? 0, center_of_mass: p.center_of_mass })),
          )
        : null,
      geometry_kernel: hasGeometry ? 'occt-import-js 0.0.23 (OpenCASCADE)' : null,
      tessellation: hasGeometry
        ? {
            linear_deflection: tessellation.linearDeflection ?? null,
            linear_deflection_type: tessellation.linearDeflectionType ?? null,
            angular_deflection: tessellation.angularDeflection ?? null,
          }
        : null,
    },
    errors: [],
    warnings,
    layers: [],
    blocks: [],
    dimensions: [],
    text_blocks: [],
    title_block: null,
    geometry_summary: geometrySummary,
    entities: [],
    bom:
      // a flat list of unrelated products is no bill of materials
      opts.extractAssembly && (measured || declaredTree)
        ? buildStepBom(tree.name, tree.parts)
        : null,
    assembly,
    shape_counts: opts.countShapes ? shapeCounts : {},
    total_volume: totalVolume,
    total_surface_area: totalArea,
    overall_bbox: hasGeometry ? mergeBoxes(solids.map((p) => p.bbox)) : null,
  };
}

function someDeclared(parts: StepPart[]): boolean {
  let found = false;
  walkParts(parts, (p) => {
    if (p.validation) found = true;
  });
  return found;
}

/** Applies extract_assembly / extract_parts to the full tree. */
function shapeAssembly(tree: StepAssembly, opts: StepOptions): StepAssembly | null {
  if (!opts.extractAssembly && !opts.extractParts) return null;
  if (opts.extractAssembly && opts.extractParts) return tree;
  if (opts.extractParts) {
    const flat: StepPart[] = [];
    walkParts(tree.parts, (p) => {
      if (p.shape_type !== 'assembly') flat.push({ ...p, children: [] });
    });
    return { ...tree, parts: flat, root_parts: flat.length };
  }
  const assembliesOnly = (parts: StepPart[]): StepPart[] =>
    parts
      .filter((p) => p.shape_type === 'assembly')
      .map((p) => ({ ...p, children: assembliesOnly(p.children) }));
  return { ...tree, parts: assembliesOnly(tree.parts) };
}
