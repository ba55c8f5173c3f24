import { ExtractionError } from '../extraction-error';
import { Extractor } from '../extractor';

/** Placeholder until the real bom extractor lands. */
export const bomExtractor: Extractor = {
  format: 'bom',
  extract() {
    return Promise.reject(
      new ExtractionError('NOT_IMPLEMENTED', 'The bom extractor is not available yet'),
    );
  },
};
