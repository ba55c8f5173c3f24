import { ExtractionError } from '../extraction-error';
import { Extractor } from '../extractor';

/** Placeholder until the real step extractor lands. */
export const stepExtractor: Extractor = {
  format: 'step',
  extract() {
    return Promise.reject(
      new ExtractionError('NOT_IMPLEMENTED', 'The step extractor is not available yet'),
    );
  },
};
