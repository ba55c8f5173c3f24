/**
 * Refuses ZIP containers (xlsx) that would inflate past a limit, from the sizes their central
 * directory declares, before anything is inflated: two 3.6 MB zip-bomb workbooks used to take a
 * process from 125 MB to 2.4 GB. A container that lies about its sizes is still bounded by the
 * extractor thread's heap limit (EXTRACTOR_MEMORY_MB).
 */
import { Open } from 'unzipper';
import { ExtractionError } from '../extraction-error';

/**
 * Default for BOM_MAX_UNCOMPRESSED_MB: room for the largest sheets read (100,000 rows) while
 * exceljs, which needs about ten times the XML in heap, stays inside a thread's heap limit.
 */
export const DEFAULT_MAX_UNCOMPRESSED_MB = 64;

export function maxUncompressedBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = Number(env.BOM_MAX_UNCOMPRESSED_MB);
  const mb = Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_MAX_UNCOMPRESSED_MB;
  return Math.floor(mb * 1024 * 1024);
}

/** Throws FILE_TOO_LARGE when the entries add up to more than `limitBytes` once inflated. */
export async function checkUncompressedSize(buffer: Buffer, limitBytes: number): Promise<void> {
  let entries: { uncompressedSize: number }[];
  try {
    entries = (await Open.buffer(buffer)).files;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExtractionError('CORRUPT_FILE', `The .xlsx workbook could not be read: ${reason}`);
  }
  const total = entries.reduce((sum, entry) => sum + (entry.uncompressedSize || 0), 0);
  if (total > limitBytes) {
    const mb = (bytes: number) => (bytes / 1048576).toFixed(0);
    throw new ExtractionError(
      'FILE_TOO_LARGE',
      `The .xlsx workbook expands to ${mb(total)} MB (${buffer.length} bytes compressed); at most ${mb(limitBytes)} MB are read (BOM_MAX_UNCOMPRESSED_MB)`,
    );
  }
}
