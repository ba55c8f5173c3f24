/** Validates the BOM extractor's options (names and meaning documented in docs/bom-extractor.md). */
import { ExtractionError } from '../extraction-error';
import { boolOption, ExtractorOptions } from '../extractor';
import { BomOptions } from './bom-types';

function sheetOption(options: ExtractorOptions): string | number | null {
  const value = options.sheet;
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) {
      throw new ExtractionError(
        'INVALID_OPTIONS',
        'Option "sheet" must be a sheet name or a 0-based sheet index',
      );
    }
    return value;
  }
  if (typeof value === 'string') return /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  throw new ExtractionError(
    'INVALID_OPTIONS',
    'Option "sheet" must be a sheet name or a 0-based sheet index',
  );
}

function headerRowOption(options: ExtractorOptions): number | null {
  const value = options.header_row;
  if (value === undefined || value === null || value === '') return null;
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
    throw new ExtractionError(
      'INVALID_OPTIONS',
      'Option "header_row" must be a 1-based row number',
    );
  }
  return number;
}

export function parseBomOptions(options: ExtractorOptions): BomOptions {
  const flatten = boolOption(options, 'flatten', false);
  const aggregate = boolOption(options, 'aggregate', false);
  return {
    sheet: sheetOption(options),
    header_row: headerRowOption(options),
    flatten,
    // The include_* flags only matter when flattening; each defaults to true then.
    include_path: boolOption(options, 'include_path', true),
    include_inducted: boolOption(options, 'include_inducted', true),
    include_level_prefix: boolOption(options, 'include_level_prefix', true),
    include_parent_reference: boolOption(options, 'include_parent_reference', true),
    aggregate,
  };
}
