/**
 * The one registry of extractor versions. Bump a format's number whenever its output on the same
 * file and options changes (a fix, a new field, a different rounding): completed jobs record the
 * version that produced their result, reuse only matches results of the current version, and
 * `POST /jobs/reprocess?extractor_version_lt=` re-runs the older ones.
 * test/corpus/extractor-output-digests.corpus-spec.ts fails when an extractor's output on the
 * corpus changes while its number here stays the same (the digests live in
 * test/fixtures/extractor-output-digests.json).
 */
import { ExtractionFormat } from './extractor';

export const EXTRACTOR_VERSIONS: Readonly<Record<ExtractionFormat, number>> = {
  pdf: 1,
  dxf: 1,
  ifc: 1,
  step: 1,
  werk24: 1,
  bom: 1,
};

/**
 * The version a worker records and reuses by. `overrides` is a test hook (the versions a test
 * extractor module declares, see EXTRACTOR_OVERRIDES), never set in production.
 */
export function extractorVersion(
  format: ExtractionFormat,
  overrides?: Partial<Record<ExtractionFormat, number>>,
): number {
  return overrides?.[format] ?? EXTRACTOR_VERSIONS[format];
}
