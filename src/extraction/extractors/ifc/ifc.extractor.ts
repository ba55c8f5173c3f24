/**
 * IFC (IFC2X3, IFC4, IFC4X3) extractor on web-ifc: header checked as text first, then the model
 * is opened in WASM, its relationships indexed once, and elements, spatial tree, type objects,
 * units and a decomposition BOM read from it.
 */
import { readFile } from 'fs/promises';
import * as WebIFC from 'web-ifc';
import { CadLayer, emptyGeometrySummary } from '../cad-result';
import { ExtractionError } from '../extraction-error';
import {
  boolOption,
  Extractor,
  ExtractorInput,
  ExtractorOptions,
  throwIfAborted,
} from '../extractor';
import { sniffIso10303 } from '../step/iso10303-syntax';
import { parseStepHeader, StepHeader } from '../step/step-file-reader';
import { buildIfcBom } from './ifc-bom';
import {
  codesOfNames,
  parseElementTypes,
  schemaFamily,
  schemaIndex,
  SUPPORTED_SCHEMAS,
} from './ifc-classes';
import { IfcElementReader, readTypeObjects } from './ifc-elements';
import { BATCH, IfcModelReader, refsOf, textOf } from './ifc-model-reader';
import { IfcPropertyReader } from './ifc-property-reader';
import { IfcSpatialIndex } from './ifc-spatial';
import { IfcElement, IfcExtractionResult } from './ifc-types';
import { readUnits, unitsForMetadata } from './ifc-units';
import { withModel } from './web-ifc-runtime';

interface IfcOptions {
  properties: boolean;
  quantities: boolean;
  materials: boolean;
  spatial: boolean;
  elementTypes: string[] | null;
}

const PROGRESS_EVERY = 100;

function readOptions(options: ExtractorOptions): IfcOptions {
  return {
    properties: boolOption(options, 'extract_properties', true),
    quantities: boolOption(options, 'extract_quantities', true),
    materials: boolOption(options, 'extract_materials', true),
    spatial: boolOption(options, 'extract_spatial', true),
    elementTypes: parseElementTypes(options.element_types),
  };
}

/** Rejects STEP CAD files renamed .ifc and IFC versions web-ifc cannot read. */
function checkSchema(header: StepHeader): { name: string; index: number } {
  const declared = header.schema[0]?.trim() ?? '';
  if (!declared)
    throw new ExtractionError(
      'CORRUPT_FILE',
      'The IFC file declares no schema (FILE_SCHEMA is empty or missing)',
    );
  if (!/^IFC/i.test(declared)) {
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      `The file is a STEP CAD file (schema ${declared}), not an IFC model; upload it as .step/.stp`,
    );
  }
  const index = schemaIndex(declared);
  if (index <= 0) {
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      `IFC schema ${declared} is not supported (supported: ${SUPPORTED_SCHEMAS.join(', ')})`,
    );
  }
  return { name: declared.toUpperCase(), index };
}

export const ifcExtractor: Extractor<IfcExtractionResult> = {
  format: 'ifc',
  async extract(input: ExtractorInput): Promise<IfcExtractionResult> {
    const opts = readOptions(input.options);
    input.onProgress({ progress: 0, message: 'reading file' });
    const bytes = await readFile(input.filePath);
    throwIfAborted(input.signal);
    const header = parseStepHeader(sniffIso10303(bytes, 'IFC').headerText);
    const schema = checkSchema(header);
    input.onProgress({ progress: 5, message: 'opening model' });
    return withModel(
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      (api, modelID) => {
        throwIfAborted(input.signal);
        const allLines = api.GetAllLines(modelID);
        const totalLines = allLines.size();
        (allLines as unknown as { delete?: () => void }).delete?.(); // embind: free WASM memory
        if (totalLines === 0)
          throw new ExtractionError('CORRUPT_FILE', 'The IFC file holds no entity instances');
        const reader = new IfcModelReader(api, modelID);
        input.onProgress({ progress: 15, message: `indexed ${totalLines} entities` });
        return extractModel(input, opts, reader, header, schema, totalLines);
      },
    );
  },
};

function extractModel(
  input: ExtractorInput,
  opts: IfcOptions,
  reader: IfcModelReader,
  header: StepHeader,
  schema: { name: string; index: number },
  totalLines: number,
): IfcExtractionResult {
  const warnings: string[] = [];
  const units = readUnits(reader);
  if (units.byType.size === 0)
    warnings.push(
      'The file has no IfcUnitAssignment: units are not declared, values are given as written',
    );
  const spatial = new IfcSpatialIndex(reader);
  const props = new IfcPropertyReader(reader, units);
  const elementReader = new IfcElementReader(reader, props, spatial, {
    properties: opts.properties,
    quantities: opts.quantities,
    materials: opts.materials,
  });

  const ids = selectElementIds(reader, opts.elementTypes);
  const elements: IfcElement[] = [];
  const perStorey = new Map<number, number>();
  for (let i = 0; i < ids.length; i += 1) {
    if (i % PROGRESS_EVERY === 0) {
      throwIfAborted(input.signal);
      input.onProgress({
        progress: 15 + Math.floor((80 * i) / ids.length),
        message: `element ${i} of ${ids.length}`,
      });
    }
    if (i % BATCH === 0) {
      reader.clearPreloaded();
      elementReader.prefetch(ids.slice(i, i + BATCH));
    }
    const read = elementReader.read(ids[i]);
    if (!read) continue;
    elements.push(read.element);
    if (read.storeyId !== null)
      perStorey.set(read.storeyId, (perStorey.get(read.storeyId) ?? 0) + 1);
  }
  reader.clearPreloaded();
  throwIfAborted(input.signal);

  const elementCounts: Record<string, number> = {};
  const psetNames = new Set<string>();
  for (const el of elements) {
    elementCounts[el.ifc_class] = (elementCounts[el.ifc_class] ?? 0) + 1;
    for (const name of Object.keys(el.properties)) psetNames.add(name);
  }
  const allElements = new Set(reader.idsOfClass(WebIFC.IFCELEMENT));
  const bom = buildIfcBom(
    reader,
    (id) => allElements.has(id),
    (id) => {
      const materialId = reader.materialOf.get(id);
      return opts.materials && materialId !== undefined
        ? props.materialNames(materialId).join(', ') || null
        : null;
    },
  );
  const geometry = emptyGeometrySummary();
  geometry.total_entities = elements.length;
  input.onProgress({ progress: 100, message: `${elements.length} elements` });
  return {
    source_file: input.filename,
    source_type: 'ifc',
    success: true,
    metadata: {
      schema: schemaFamily(schema.name),
      schema_identifier: schema.name,
      project_name: spatial.projectName,
      units: unitsForMetadata(units),
      file_name: header.file_name,
      timestamp: header.timestamp,
      author: header.author,
      organization: header.organization,
      originating_system: header.originating_system,
      preprocessor_version: header.preprocessor_version,
      description: header.description,
      total_entities: totalLines,
      element_types_filter: opts.elementTypes,
    },
    errors: [],
    warnings,
    layers: presentationLayers(reader),
    blocks: [],
    dimensions: [],
    text_blocks: [],
    title_block: null,
    geometry_summary: geometry,
    entities: [],
    bom,
    elements,
    spatial_structure: opts.spatial ? spatial.structure(perStorey) : null,
    element_counts: Object.fromEntries(
      Object.entries(elementCounts).sort((a, b) => a[0].localeCompare(b[0])),
    ),
    property_sets: [...psetNames].sort(),
    type_objects: readTypeObjects(reader, props),
  };
}

/**
 * The elements to read: the requested classes with their subclasses, or by default every
 * IfcElement except feature elements (openings, projections), which are holes and bumps rather
 * than building parts.
 */
function selectElementIds(reader: IfcModelReader, requested: string[] | null): number[] {
  if (requested) {
    const ids = new Set(codesOfNames(requested).flatMap((code) => reader.idsOfClass(code)));
    return [...ids].sort((a, b) => a - b);
  }
  const features = new Set(reader.idsOfClass(WebIFC.IFCFEATUREELEMENT));
  return reader.idsOfClass(WebIFC.IFCELEMENT).filter((id) => !features.has(id));
}

/** IfcPresentationLayerAssignment as CAD layers (name and how many items they hold). */
function presentationLayers(reader: IfcModelReader): CadLayer[] {
  return reader.idsOfClass(WebIFC.IFCPRESENTATIONLAYERASSIGNMENT).flatMap((id) => {
    const line = reader.line(id);
    if (!line) return [];
    const layerOn = line.LayerOn as { value?: unknown } | undefined;
    return [
      {
        name: textOf(line.Name) ?? `#${id}`,
        color: null,
        linetype: null,
        lineweight: null,
        is_on: layerOn?.value !== false,
        is_frozen: (line.LayerFrozen as { value?: unknown } | undefined)?.value === true,
        is_locked: (line.LayerBlocked as { value?: unknown } | undefined)?.value === true,
        entity_count: refsOf(line.AssignedItems).length,
      },
    ];
  });
}
