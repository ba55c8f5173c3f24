import { ExtractionError } from '../extraction-error';
import { Extractor } from '../extractor';

/** Placeholder until the real pdf extractor lands. */
export const pdfExtractor: Extractor = {
  format: 'pdf',
  extract() {
    return Promise.reject(
      new ExtractionError('NOT_IMPLEMENTED', 'The pdf extractor is not available yet'),
    );
  },
};
