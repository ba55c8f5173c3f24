/** Options of the Werk24 route (SEED-NOTES §1) and the asks they turn into. */
import { ExtractionError } from '../extraction-error';
import { boolOption, ExtractorOptions } from '../extractor';
import { Werk24Ask, Werk24AskType } from './werk24-protocol';
import { Werk24Options } from './werk24-types';

export const DEFAULT_CONFIDENCE_THRESHOLD = 0.7;

function thresholdOption(options: ExtractorOptions): number {
  const raw = options.confidence_threshold;
  if (raw === undefined || raw === null || raw === '') return DEFAULT_CONFIDENCE_THRESHOLD;
  const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ExtractionError(
      'INVALID_OPTIONS',
      'Option "confidence_threshold" must be a number from 0 to 1',
    );
  }
  return value;
}

export function parseWerk24Options(options: ExtractorOptions): Werk24Options {
  const parsed: Werk24Options = {
    extract_dimensions: boolOption(options, 'extract_dimensions', true),
    extract_gdt: boolOption(options, 'extract_gdt', true),
    extract_threads: boolOption(options, 'extract_threads', true),
    extract_surface_finish: boolOption(options, 'extract_surface_finish', true),
    extract_materials: boolOption(options, 'extract_materials', true),
    extract_title_block: boolOption(options, 'extract_title_block', true),
    confidence_threshold: thresholdOption(options),
  };
  if (asksFor(parsed).length === 0) {
    // Every call is billed: refuse a request that asks for nothing.
    throw new ExtractionError(
      'INVALID_OPTIONS',
      'At least one extract_* option must be true for Werk24',
    );
  }
  return parsed;
}

/**
 * One ask per flag. Materials come from the title block (W24TitleBlock.material): Werk24's
 * separate VARIANT_MATERIAL ask is an invitation-only beta, so it is not sent.
 */
export function asksFor(options: Werk24Options): Werk24Ask[] {
  const types: Werk24AskType[] = [];
  if (options.extract_dimensions) types.push('VARIANT_MEASURES');
  if (options.extract_gdt) types.push('VARIANT_GDTS');
  if (options.extract_threads) types.push('VARIANT_THREAD_ELEMENTS');
  if (options.extract_surface_finish) types.push('VARIANT_ROUGHNESSES');
  if (options.extract_title_block || options.extract_materials) types.push('TITLE_BLOCK');
  return types.map((ask_type) =>
    ask_type === 'VARIANT_MEASURES'
      ? // Werk24 pre-filters at 0.2 by default; asking no higher lets us count what the threshold drops.
        {
          version: 'v1',
          ask_type,
          is_training: false,
          confidence_min: Math.min(options.confidence_threshold, 0.2),
        }
      : { version: 'v1', ask_type, is_training: false },
  );
}
