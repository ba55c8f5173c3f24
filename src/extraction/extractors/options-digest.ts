/**
 * The options digest a completed job records and reuse matches on: the SHA-256 of the options in a
 * normal form — keys sorted (at every depth), the extractor's known defaults filled in (so `{}`
 * and `{extract_text: true}` are the same request for DXF) and the control options that do not
 * shape the result (`force_reextract`) left out.
 */
import { createHash } from 'node:crypto';
import { ExtractionFormat, ExtractorOptions } from './extractor';

/** Options that steer the service, not the extractor: never part of the digest. */
export const CONTROL_OPTIONS = ['force_reextract'] as const;

/** Defaults the extractors apply when an option is absent (boolOption fallbacks and the like). */
const DEFAULTS: Record<ExtractionFormat, Record<string, unknown>> = {
  pdf: {
    extract_tables: true,
    extract_text: true,
    extract_dimensions: true,
    use_ocr: 'auto',
    ocr_language: 'eng',
  },
  dxf: {
    extract_layers: true,
    extract_blocks: true,
    extract_dimensions: true,
    extract_text: true,
    extract_title_block: true,
    extract_geometry: true,
    extract_entities: false,
  },
  ifc: {
    extract_properties: true,
    extract_quantities: true,
    extract_materials: true,
    extract_spatial: true,
  },
  step: {
    extract_assembly: true,
    extract_parts: true,
    calculate_volumes: true,
    calculate_areas: true,
    count_shapes: true,
  },
  werk24: {
    extract_dimensions: true,
    extract_gdt: true,
    extract_threads: true,
    extract_surface_finish: true,
    extract_materials: true,
    extract_title_block: true,
  },
  bom: {
    flatten: false,
    aggregate: false,
    include_path: true,
    include_inducted: true,
    include_level_prefix: true,
    include_parent_reference: true,
  },
};

/** The options as the extractor will read them, in a canonical form. */
export function normaliseOptions(
  format: ExtractionFormat,
  options: ExtractorOptions | null | undefined,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...DEFAULTS[format] };
  for (const [key, value] of Object.entries(options ?? {})) {
    if ((CONTROL_OPTIONS as readonly string[]).includes(key)) continue;
    if (value === undefined || value === null) continue;
    merged[key] = value;
  }
  return sortKeys(merged) as Record<string, unknown>;
}

export function optionsDigest(
  format: ExtractionFormat,
  options: ExtractorOptions | null | undefined,
): string {
  return createHash('sha256')
    .update(JSON.stringify(normaliseOptions(format, options)))
    .digest('hex');
}

/** Whether the caller asked to skip reuse (`options.force_reextract`). */
export function forcesReextract(options: ExtractorOptions | null | undefined): boolean {
  const value = options?.force_reextract;
  return value === true || value === 'true';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
