/**
 * Werk24 extractor: sends a drawing (PDF or image) to the remote Werk24 service and maps its
 * answers to the Werk24 result contract. Enabled only when WERK24_API_KEY and WERK24_BASE_URL are set.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ExtractionError } from '../extraction-error';
import { Extractor, ExtractorInput, throwIfAborted } from '../extractor';
import { mapAnswers } from './werk24-mapper';
import { asksFor, parseWerk24Options } from './werk24-options';
import { createWerk24Provider, Werk24Provider } from './werk24-provider';
import { Werk24ExtractionResult } from './werk24-types';

export type { Werk24ExtractionResult } from './werk24-types';
export type { Werk24Provider } from './werk24-provider';

const MIME_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

/** Checks the first bytes so a misnamed file is refused before it is sent (and billed). */
function matchesType(content: Buffer, mimeType: string): boolean {
  const head = content.subarray(0, 8);
  switch (mimeType) {
    case 'application/pdf':
      return content.subarray(0, 1024).includes('%PDF-');
    case 'image/png':
      return head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case 'image/jpeg':
      return head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
    case 'image/tiff':
      return (
        head.subarray(0, 4).equals(Buffer.from('II*\0', 'latin1')) ||
        head.subarray(0, 4).equals(Buffer.from('MM\0*', 'latin1'))
      );
    default:
      return false;
  }
}

export function createWerk24Extractor(
  providerFactory: (env: NodeJS.ProcessEnv) => Werk24Provider = createWerk24Provider,
): Extractor<Werk24ExtractionResult> {
  return {
    format: 'werk24',
    async extract(input: ExtractorInput): Promise<Werk24ExtractionResult> {
      const { signal, onProgress } = input;
      const extension = extname(input.filename).toLowerCase();
      const mimeType = MIME_TYPES[extension];
      if (!mimeType) {
        throw new ExtractionError(
          'UNSUPPORTED_FORMAT',
          `Werk24 reads .pdf, .png, .jpg, .jpeg, .tif and .tiff files (got "${extension || 'no extension'}")`,
        );
      }
      const options = parseWerk24Options(input.options);
      const provider = providerFactory(process.env);
      throwIfAborted(signal);

      const content = await readFile(input.filePath);
      if (content.length === 0) throw new ExtractionError('CORRUPT_FILE', 'The file is empty');
      if (!matchesType(content, mimeType)) {
        throw new ExtractionError(
          'CORRUPT_FILE',
          `The file is not a valid ${extension.slice(1).toUpperCase()} (its first bytes do not match)`,
        );
      }
      onProgress({ progress: 10, message: 'sending the drawing to Werk24' });

      const messages = await provider.readDrawing(
        { filename: input.filename, content, mimeType },
        asksFor(options),
        signal,
      );
      throwIfAborted(signal);
      onProgress({ progress: 90, message: `${messages.length} answers from Werk24` });

      const mapped = mapAnswers(messages, options);
      onProgress({ progress: 100 });
      return {
        source_file: input.filename,
        source_type: 'werk24',
        success: mapped.errors.length === 0,
        metadata: {
          ...mapped.metadata,
          asks: asksFor(options).map((ask) => ask.ask_type),
          file_size: content.length,
        },
        errors: mapped.errors,
        warnings: mapped.warnings,
        dimensions: mapped.dimensions,
        gdt_annotations: mapped.gdt_annotations,
        threads: mapped.threads,
        surface_finishes: mapped.surface_finishes,
        materials: mapped.materials,
        title_block: mapped.title_block,
      };
    },
  };
}

export const werk24Extractor: Extractor<Werk24ExtractionResult> = createWerk24Extractor();
