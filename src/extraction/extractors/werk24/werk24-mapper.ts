/**
 * Maps Werk24 answers (ASK messages whose payload_dict follows the W24Ask*Response models) to the
 * result contract, honouring the flags and the confidence threshold. Werk24 sends Decimals as
 * strings or numbers; both are read.
 */
import { Werk24TechreadMessage } from './werk24-protocol';
import {
  Werk24Dimension,
  Werk24GdtAnnotation,
  Werk24Material,
  Werk24Options,
  Werk24SurfaceFinish,
  Werk24Thread,
  Werk24TitleBlock,
} from './werk24-types';

type Json = Record<string, unknown>;

export interface MappedAnswers {
  dimensions: Werk24Dimension[];
  gdt_annotations: Werk24GdtAnnotation[];
  threads: Werk24Thread[];
  surface_finishes: Werk24SurfaceFinish[];
  materials: Werk24Material[];
  title_block: Werk24TitleBlock | null;
  errors: string[];
  warnings: string[];
  metadata: Record<string, unknown>;
}

const obj = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;
function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

const UNITS: Record<string, string> = {
  MILLIMETER: 'mm',
  CENTIMETER: 'cm',
  METER: 'm',
  INCH: 'in',
  FOOT: 'ft',
  MICROMETER: 'µm',
};
const unitOf = (value: unknown): string | null =>
  str(value) ? (UNITS[value as string] ?? (value as string).toLowerCase()) : null;

const SIZE_TYPES: Record<string, string> = {
  NOMINAL: 'linear',
  DIAMETER: 'diameter',
  SPHERICAL_DIAMETER: 'spherical_diameter',
  SQUARE: 'square',
  WIDTHS_ACROSS_FLATS: 'width_across_flats',
};

const GDT_NAMES: Record<string, string> = {
  '⏤': 'straightness',
  '⏥': 'flatness',
  '○': 'circularity',
  '⌭': 'cylindricity',
  '⌓': 'profile_of_surface',
  '⌒': 'profile_of_line',
  '⟂': 'perpendicularity',
  '∠': 'angularity',
  '∥': 'parallelism',
  '⌖': 'position',
  '◎': 'concentricity',
  '⌯': 'symmetry',
  '↗': 'circular_runout',
  '⌰': 'total_runout',
  '[DATUM]': 'datum_indicator',
};

function mapMeasure(
  raw: unknown,
  page: number,
  ids: { variant_id: string | null; sectional_id: string | null },
): Werk24Dimension {
  const measure = obj(raw);
  const label = obj(measure.label);
  const size = obj(label.size);
  const tolerance = obj(label.size_tolerance);
  const toleranceType = str(tolerance.toleration_type);
  let dimensionType = SIZE_TYPES[str(size.size_type) ?? ''] ?? 'linear';
  if (label.thread) dimensionType = 'thread';
  else if (label.chamfer) dimensionType = 'chamfer';
  return {
    value: num(size.nominal_size),
    unit: unitOf(label.unit) ?? unitOf(size.unit),
    tolerance_plus: num(tolerance.deviation_upper),
    tolerance_minus: num(tolerance.deviation_lower),
    dimension_type: dimensionType,
    label: str(label.blurb),
    confidence: num(measure.confidence),
    quantity: num(label.quantity) ?? 1,
    tolerance_type: toleranceType,
    fit: toleranceType === 'FIT_SIZE_ISO' ? str(tolerance.blurb) : null,
    page,
    ...ids,
  };
}

function mapGdt(
  raw: unknown,
  page: number,
  ids: { variant_id: string | null; sectional_id: string | null },
): Werk24GdtAnnotation {
  const gdt = obj(raw);
  const frame = obj(gdt.frame);
  const characteristic = str(frame.characteristic) ?? '';
  return {
    characteristic,
    characteristic_name: GDT_NAMES[characteristic] ?? null,
    label: str(frame.blurb) ?? '',
    tolerance_value: num(obj(frame.zone_value).width_min),
    zone_shape: str(frame.zone_shape),
    material_condition: str(frame.material_condition),
    datums: arr(frame.data)
      .map((datum) => str(obj(datum).blurb))
      .filter((d): d is string => d !== null),
    confidence: num(gdt.confidence),
    page,
    ...ids,
  };
}

function mapThreads(
  raw: unknown,
  page: number,
  ids: { variant_id: string | null; sectional_id: string | null },
): Werk24Thread[] {
  const element = obj(raw);
  return arr(element.threads).map((rawThread) => {
    const thread = obj(rawThread);
    return {
      label: str(thread.blurb) ?? '',
      thread_type: str(thread.thread_type) ?? 'UNKNOWN',
      diameter: num(thread.diameter),
      pitch: num(thread.pitch),
      threads_per_inch: num(thread.threads_per_inch),
      unit: unitOf(thread.unit),
      handedness: str(thread.handedness),
      length: num(thread.length) ?? num(element.length),
      quantity: num(element.quantity) ?? 1,
      gender: str(element.gender)?.toLowerCase() ?? null,
      confidence: num(element.confidence),
      page,
      ...ids,
    };
  });
}

function mapRoughness(
  raw: unknown,
  page: number,
  ids: { variant_id: string | null; sectional_id: string | null },
): Werk24SurfaceFinish {
  const roughness = obj(raw);
  const label = obj(roughness.label);
  const condition = obj(arr(label.conditions)[0]);
  const imperial = str(label.unit_system) === 'IMPERIAL';
  return {
    label: str(label.blurb) ?? '',
    standard: str(label.standard),
    parameter: str(condition.parameter),
    value: num(condition.value),
    unit:
      condition.value !== undefined && condition.value !== null ? (imperial ? 'µin' : 'µm') : null,
    roughness_grade: str(obj(condition.roughness_grade).grade),
    material_removal: str(label.material_removal_type),
    direction_of_lay: str(label.direction_of_lay),
    applies_all_around: label.applies_all_around === true,
    confidence: num(roughness.confidence),
    page,
    ...ids,
  };
}

/** The first value text of a W24CaptionValuePair. */
function valueOf(pair: unknown): string | null {
  const values = arr(obj(pair).values);
  return str(obj(values[0]).text) ?? str(obj(pair).blurb);
}

function mapMaterial(raw: unknown, page: number): Werk24Material | null {
  const material = obj(raw);
  const label = str(material.blurb) ?? str(material.raw_ocr_blurb);
  if (!label) return null;
  return {
    label,
    designation: str(material.designation),
    standard: str(material.standard),
    category: arr(material.material_category)
      .map(str)
      .filter((c): c is string => c !== null),
    source: 'title_block',
    confidence: num(material.confidence),
    page,
  };
}

function mapTitleBlock(raw: Json): Werk24TitleBlock {
  const titleBlock = obj(raw.title_block ?? raw);
  const custom: Record<string, string> = {};
  const partIds = arr(titleBlock.part_ids)
    .map(valueOf)
    .filter((v): v is string => v !== null);
  if (partIds.length > 0) custom.part_ids = partIds.join(', ');
  for (const pair of arr(titleBlock.reference_ids)) {
    const type = str(obj(pair).identifier_type)?.trim().toLowerCase();
    const value = valueOf(pair);
    if (type && value && !(type in custom)) custom[type] = value;
  }
  const tolerances = str(obj(titleBlock.general_tolerances).blurb);
  if (tolerances) custom.general_tolerances = tolerances;
  const weight = str(obj(titleBlock.weight).blurb);
  if (weight) custom.weight = weight;
  const materialNumber = valueOf(titleBlock.material_number);
  if (materialNumber) custom.material_number = materialNumber;
  const projection = str(titleBlock.projection_method);
  if (projection) custom.projection_method = projection;
  const generalRoughness = str(obj(arr(titleBlock.general_roughnesses)[0]).blurb);
  return {
    drawing_number: valueOf(titleBlock.drawing_id),
    title: valueOf(titleBlock.designation),
    revision: null,
    date: null,
    author: null,
    company: null,
    scale: null,
    sheet: null,
    material: str(obj(titleBlock.material).blurb),
    finish: generalRoughness,
    custom_fields: custom,
    confidence: num(titleBlock.confidence),
  };
}

/** Keeps items at or above the threshold; items without a confidence are kept. */
function filterByConfidence<T extends { confidence: number | null }>(
  items: T[],
  threshold: number,
): { kept: T[]; dropped: number } {
  const kept = items.filter((item) => item.confidence === null || item.confidence >= threshold);
  return { kept, dropped: items.length - kept.length };
}

export function mapAnswers(
  messages: Werk24TechreadMessage[],
  options: Werk24Options,
): MappedAnswers {
  const out: MappedAnswers = {
    dimensions: [],
    gdt_annotations: [],
    threads: [],
    surface_finishes: [],
    materials: [],
    title_block: null,
    errors: [],
    warnings: [],
    metadata: {},
  };
  const requestIds = new Set<string>();
  const pages = new Set<number>();
  let titleBlock: Json | null = null;
  for (const message of messages) {
    if (message.request_id) requestIds.add(message.request_id);
    const page = message.page_number ?? 0;
    for (const exception of message.exceptions ?? []) {
      const text = `${message.message_subtype}: ${exception.exception_type}`;
      if (exception.exception_level === 'ERROR') out.errors.push(`Werk24 could not answer ${text}`);
      else out.warnings.push(`Werk24 notice on ${text}`);
    }
    if (message.message_type === 'REJECTION' || message.message_type === 'ERROR') {
      out.errors.push(`Werk24 rejected the drawing: ${message.message_subtype}`);
      continue;
    }
    if (message.message_type !== 'ASK' || !message.payload_dict) continue;
    pages.add(page);
    const payload = message.payload_dict;
    const ids = { variant_id: str(payload.variant_id), sectional_id: str(payload.sectional_id) };
    switch (message.message_subtype) {
      case 'VARIANT_MEASURES':
        if (options.extract_dimensions)
          out.dimensions.push(...arr(payload.measures).map((m) => mapMeasure(m, page, ids)));
        break;
      case 'VARIANT_GDTS':
        if (options.extract_gdt)
          out.gdt_annotations.push(...arr(payload.gdts).map((g) => mapGdt(g, page, ids)));
        break;
      case 'VARIANT_THREAD_ELEMENTS':
        if (options.extract_threads)
          out.threads.push(
            ...arr(payload.thread_elements).flatMap((t) => mapThreads(t, page, ids)),
          );
        break;
      case 'VARIANT_ROUGHNESSES':
        if (options.extract_surface_finish)
          out.surface_finishes.push(
            ...arr(payload.roughnesses).map((r) => mapRoughness(r, page, ids)),
          );
        break;
      case 'TITLE_BLOCK': {
        titleBlock = obj(payload.title_block ?? payload);
        const material = mapMaterial(titleBlock.material, page);
        if (options.extract_materials && material) out.materials.push(material);
        if (options.extract_title_block && out.title_block === null)
          out.title_block = mapTitleBlock(titleBlock);
        break;
      }
      default:
        break;
    }
  }
  const threshold = options.confidence_threshold;
  const drops: string[] = [];
  const apply = <
    K extends 'dimensions' | 'gdt_annotations' | 'threads' | 'surface_finishes' | 'materials',
  >(
    key: K,
  ) => {
    const { kept, dropped } = filterByConfidence(
      out[key] as { confidence: number | null }[],
      threshold,
    );
    (out[key] as unknown[]) = kept;
    if (dropped > 0) drops.push(`${key} ${dropped}`);
    return dropped;
  };
  const dropped = ['dimensions', 'gdt_annotations', 'threads', 'surface_finishes', 'materials']
    .map((key) => apply(key as 'dimensions'))
    .reduce((a, b) => a + b, 0);
  if (dropped > 0) {
    out.warnings.push(
      `${dropped} item(s) below confidence_threshold ${threshold} dropped (${drops.join(', ')})`,
    );
  }
  out.metadata = {
    request_ids: [...requestIds],
    pages_answered: pages.size,
    confidence_threshold: threshold,
    dropped_below_threshold: dropped,
  };
  return out;
}
