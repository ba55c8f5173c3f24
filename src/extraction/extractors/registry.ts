/**
 * Maps a format to its extractor. Modules load lazily so a thread only pays for the parsers
 * (and WASM) of the formats it actually runs.
 */
import { Extractor, ExtractionFormat } from './extractor';

const loaders: Record<ExtractionFormat, () => Extractor> = {
  pdf: () => (require('./pdf/pdf.extractor') as typeof import('./pdf/pdf.extractor')).pdfExtractor,
  dxf: () => (require('./dxf/dxf.extractor') as typeof import('./dxf/dxf.extractor')).dxfExtractor,
  ifc: () => (require('./ifc/ifc.extractor') as typeof import('./ifc/ifc.extractor')).ifcExtractor,
  step: () =>
    (require('./step/step.extractor') as typeof import('./step/step.extractor')).stepExtractor,
  werk24: () =>
    (require('./werk24/werk24.extractor') as typeof import('./werk24/werk24.extractor'))
      .werk24Extractor,
  bom: () => (require('./bom/bom.extractor') as typeof import('./bom/bom.extractor')).bomExtractor,
};

export function getExtractor(format: ExtractionFormat): Extractor {
  return loaders[format]();
}
