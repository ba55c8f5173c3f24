/** Runs an extractor on a file and names the outcome: 'no error', an ExtractionError code, or a crash. */
import { ExtractionError } from '../../src/extraction/extractors/extraction-error';
import { Extractor } from '../../src/extraction/extractors/extractor';

export async function extractionErrorCode(
  extractor: Extractor,
  filePath: string,
  filename: string,
): Promise<string> {
  return extractor
    .extract({
      filePath,
      filename,
      options: {},
      onProgress: () => undefined,
      signal: new AbortController().signal,
    })
    .then(
      () => 'no error',
      (err: unknown) => (err instanceof ExtractionError ? err.code : `crash: ${String(err)}`),
    );
}
