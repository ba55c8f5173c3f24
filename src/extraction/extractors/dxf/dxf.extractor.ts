import { ExtractionError } from '../extraction-error';
import { Extractor } from '../extractor';

/** Placeholder until the real dxf extractor lands. */
export const dxfExtractor: Extractor = {
  format: 'dxf',
  extract() {
    return Promise.reject(
      new ExtractionError('NOT_IMPLEMENTED', 'The dxf extractor is not available yet'),
    );
  },
};
