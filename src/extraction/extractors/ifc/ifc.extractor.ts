import { ExtractionError } from '../extraction-error';
import { Extractor } from '../extractor';

/** Placeholder until the real ifc extractor lands. */
export const ifcExtractor: Extractor = {
  format: 'ifc',
  extract() {
    return Promise.reject(
      new ExtractionError('NOT_IMPLEMENTED', 'The ifc extractor is not available yet'),
    );
  },
};
