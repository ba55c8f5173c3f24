import { ExtractionError } from '../extraction-error';
import { Extractor } from '../extractor';

/** Placeholder until the real werk24 extractor lands. */
export const werk24Extractor: Extractor = {
  format: 'werk24',
  extract() {
    return Promise.reject(
      new ExtractionError('NOT_IMPLEMENTED', 'The werk24 extractor is not available yet'),
    );
  },
};
