/**
 * The options each format accepts, as the frontend sends them (multipart strings: booleans as
 * "true"/"false", lists as comma lists) or as JSON in POST /jobs. Parsed into typed values;
 * anything malformed or unknown is a 400 naming the field.
 *
 * SPECS is the one list of what each format accepts over HTTP (multipart on `POST /<format>` and
 * `POST /jobs`, JSON `options` on `POST /jobs`); format-options.spec.ts checks it against the
 * extractor docs, and test/e2e/format-options.e2e-spec.ts posts every entry through both routes.
 */
import { ExtractionFormat } from '../../extraction/entities/job-enums';
import { dxfLimits } from '../../extraction/extractors/dxf/dxf-limits';
import { ValidationFailedError } from '../http/api-errors';

export type OptionKind =
  | 'boolean'
  | 'int-list'
  | 'name-list'
  | 'probability'
  | 'language'
  | 'text'
  | 'positive-int'
  | 'ocr-mode'
  | 'entity-cap';
type Kind = OptionKind;

/** Service options every format accepts (they steer the job, not the extractor). */
const SERVICE_OPTIONS: Record<string, Kind> = {
  // Skip result reuse: extract this file again even when an identical result exists.
  force_reextract: 'boolean',
};

const FORMAT_SPECS: Record<ExtractionFormat, Record<string, Kind>> = {
  pdf: {
    extract_tables: 'boolean',
    extract_text: 'boolean',
    extract_dimensions: 'boolean',
    extract_title_block: 'boolean',
    use_ocr: 'ocr-mode',
    ocr_language: 'language',
    pages: 'int-list',
  },
  dxf: {
    extract_layers: 'boolean',
    extract_blocks: 'boolean',
    extract_dimensions: 'boolean',
    extract_text: 'boolean',
    extract_title_block: 'boolean',
    extract_geometry: 'boolean',
    extract_entities: 'boolean',
    max_entities: 'entity-cap',
  },
  ifc: {
    extract_properties: 'boolean',
    extract_quantities: 'boolean',
    extract_materials: 'boolean',
    extract_spatial: 'boolean',
    element_types: 'name-list',
  },
  step: {
    extract_assembly: 'boolean',
    extract_parts: 'boolean',
    calculate_volumes: 'boolean',
    calculate_areas: 'boolean',
    count_shapes: 'boolean',
  },
  werk24: {
    extract_dimensions: 'boolean',
    extract_gdt: 'boolean',
    extract_threads: 'boolean',
    extract_surface_finish: 'boolean',
    extract_materials: 'boolean',
    extract_title_block: 'boolean',
    confidence_threshold: 'probability',
  },
  bom: {
    sheet: 'text',
    header_row: 'positive-int',
    flatten: 'boolean',
    include_path: 'boolean',
    include_inducted: 'boolean',
    include_level_prefix: 'boolean',
    include_parent_reference: 'boolean',
    aggregate: 'boolean',
  },
};

const SPECS = Object.fromEntries(
  Object.entries(FORMAT_SPECS).map(([format, spec]) => [format, { ...spec, ...SERVICE_OPTIONS }]),
) as Record<ExtractionFormat, Record<string, Kind>>;

export function optionNames(format: ExtractionFormat): string[] {
  return Object.keys(SPECS[format]);
}

/** Every format's options and their kinds (for the tests that check docs and routes against it). */
export function optionSpecs(): Readonly<
  Record<ExtractionFormat, Readonly<Record<string, OptionKind>>>
> {
  return SPECS;
}

/**
 * Multipart fields → options. Fields that are not options of the format (e.g. `file`, `format`,
 * `target_table_id`) are the caller's to read; here they are ignored.
 */
export function optionsFromFields(
  format: ExtractionFormat,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const spec = SPECS[format];
  const options: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(spec)) {
    const raw = fields[name];
    if (raw === undefined || raw === '') continue;
    options[name] = parse(name, kind, raw);
  }
  return options;
}

/** A JSON options object (POST /jobs): every key must be an option of the format. */
export function optionsFromJson(format: ExtractionFormat, value: unknown): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  let object: unknown = value;
  if (typeof value === 'string') {
    try {
      object = JSON.parse(value) as unknown;
    } catch {
      throw new ValidationFailedError('"options" must be a JSON object', { field: 'options' });
    }
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new ValidationFailedError('"options" must be a JSON object', { field: 'options' });
  }
  const unknown = Object.keys(object).filter((k) => !(k in SPECS[format]));
  if (unknown.length > 0) {
    throw new ValidationFailedError(`Unknown option(s) for ${format}: ${unknown.join(', ')}`, {
      field: 'options',
      unknown,
      allowed: optionNames(format),
    });
  }
  return optionsFromFields(format, object as Record<string, unknown>);
}

function parse(name: string, kind: Kind, raw: unknown): unknown {
  const fail = (expected: string): never => {
    throw new ValidationFailedError(`Field "${name}" must be ${expected}`, {
      field: name,
      value: raw,
    });
  };
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (kind) {
    case 'boolean':
      if (text === true || text === 'true') return true;
      if (text === false || text === 'false') return false;
      return fail('"true" or "false"');
    case 'ocr-mode':
      // PDF OCR: true/false, or "auto" (the default) / "force" (every page, merged with its text).
      if (text === 'auto' || text === 'force') return text;
      if (text === true || text === 'true') return true;
      if (text === false || text === 'false') return false;
      return fail('"true", "false", "auto" or "force"');
    case 'int-list': {
      const parts = Array.isArray(text) ? text.map(String) : String(text).split(',');
      const pages = parts
        .map((p) => p.trim())
        .filter(Boolean)
        .map(Number);
      if (pages.length === 0 || pages.some((p) => !Number.isInteger(p) || p < 1))
        return fail('a comma list of page numbers from 1, e.g. "1,3,5"');
      return [...new Set(pages)].sort((a, b) => a - b);
    }
    case 'name-list': {
      const parts = Array.isArray(text) ? text.map(String) : String(text).split(',');
      const names = parts.map((p) => p.trim()).filter(Boolean);
      if (names.length === 0 || names.some((n) => !/^Ifc[A-Za-z0-9]+$/i.test(n)))
        return fail('a comma list of IFC class names, e.g. "IfcWall,IfcDoor"');
      return names;
    }
    case 'probability': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n) || n < 0 || n > 1) return fail('a number from 0 to 1');
      return n;
    }
    case 'entity-cap': {
      // DXF max_entities: a cap on entities[] (the extractor's hard limit is the upper bound).
      const max = dxfLimits().hardMaxEntities;
      const n = typeof text === 'string' && text !== '' ? Number(text) : text;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max)
        return fail(`a whole number from 0 to ${max}`);
      return n;
    }
    case 'positive-int': {
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1) return fail('a whole number from 1');
      return n;
    }
    case 'language':
      if (typeof text !== 'string' || !/^[a-z]{3}(_[a-z]+)?(\+[a-z]{3}(_[a-z]+)?)*$/.test(text))
        return fail('a Tesseract language code such as "eng"');
      return text;
    case 'text':
      if (typeof text !== 'string' && typeof text !== 'number') return fail('text');
      return String(text);
  }
}

const KIND_SCHEMAS: Record<Kind, Record<string, unknown>> = {
  boolean: { type: 'string', enum: ['true', 'false'] },
  'ocr-mode': { type: 'string', enum: ['true', 'false', 'auto', 'force'] },
  'int-list': { type: 'string', example: '1,3,5' },
  'name-list': { type: 'string', example: 'IfcWall,IfcDoor' },
  probability: { type: 'string', example: '0.7', description: 'a number from 0 to 1' },
  'positive-int': { type: 'string', example: '1', description: 'a whole number from 1' },
  'entity-cap': {
    type: 'string',
    example: '50000',
    description: `a whole number from 0 to ${dxfLimits().hardMaxEntities}`,
  },
  language: { type: 'string', example: 'eng' },
  text: { type: 'string' },
};

/**
 * The multipart body of the synchronous routes for the OpenAPI document: `file` and the options
 * of the given formats as the strings the frontend sends (built from SPECS, so it cannot drift).
 */
export function multipartOptionsSchema(formats: ExtractionFormat[]): Record<string, unknown> {
  const properties: Record<string, unknown> = { file: { type: 'string', format: 'binary' } };
  for (const format of formats) {
    for (const [name, kind] of Object.entries(SPECS[format])) {
      properties[name] ??= { ...KIND_SCHEMAS[kind] };
    }
  }
  return { type: 'object', required: ['file'], properties };
}
