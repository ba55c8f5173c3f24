/**
 * An extractor's output on the corpus may only change together with its version
 * (src/extraction/extractors/extractor-versions.ts): reuse matches results by version, so a change
 * without a bump would keep serving results the fixed extractor no longer makes. Per format, a
 * SHA-256 over the normalised outputs (volatile fields such as timings removed) on fixed inputs —
 * the shared corpus (../shared/fixtures) and fixtures generated in the repository — is compared
 * with test/fixtures/extractor-output-digests.json.
 * After a deliberate change: bump the version, then `UPDATE_EXTRACTOR_DIGESTS=1 npx jest
 * test/corpus/extractor-output-digests.corpus-spec.ts --selectProjects=corpus` and commit the file.
 * Werk24 is not here: its output comes from the provider; its mapper is pinned by werk24 specs on
 * recorded messages, and a change to it must bump werk24's version by review.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { EXTRACTOR_VERSIONS } from '../../src/extraction/extractors/extractor-versions';
import { ExtractionFormat } from '../../src/extraction/extractors/extractor';
import { getExtractor } from '../../src/extraction/extractors/registry';
import { BomFixtures } from '../fixtures/bom/bom-fixtures';
import { featuresDrawing, textTitleBlockDrawing } from '../fixtures/dxf/dxf-fixtures';
import { generatePdfFixtures } from '../fixtures/pdf/generate-pdf-fixtures';
import { writeBoxStep } from '../fixtures/step/step-fixtures';
import { writeIfc4Sample } from '../fixtures/ifc/sample-building';
import { describeWithInput } from '../support/required-input';

const SHARED = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');
const DIGESTS_FILE = resolve(__dirname, '..', 'fixtures', 'extractor-output-digests.json');
const UPDATE = process.env.UPDATE_EXTRACTOR_DIGESTS === '1';

type DigestFormat = Exclude<ExtractionFormat, 'werk24'>;
interface Recorded {
  version: number;
  files: number;
  digest: string;
}

/** Keys whose values differ from run to run (timings). */
const VOLATILE_KEY = /(_ms|_time|_seconds|elapsed|duration)$/i;

/** Sorted keys, volatile fields removed, numbers rounded to 9 significant digits. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'number')
    return Number.isFinite(value) ? Number(value.toPrecision(9)) : value;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => !VOLATILE_KEY.test(k))
        .sort()
        .map((k) => [k, normalise((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

async function outputOf(format: ExtractionFormat, file: string): Promise<unknown> {
  try {
    return await getExtractor(format).extract({
      filePath: file,
      filename: basename(file),
      options: {},
      onProgress: () => undefined,
      signal: new AbortController().signal,
    });
  } catch (error) {
    // A refusal is output too: its code and message are part of what a job records.
    const e = error as { code?: string; message?: string };
    return { error: e.code ?? 'ERROR', message: e.message };
  }
}

async function digestOf(format: ExtractionFormat, files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(basename(file));
    hash.update(JSON.stringify(normalise(await outputOf(format, file))));
  }
  return hash.digest('hex');
}

const sharedFiles = (folder: string, limit: number): string[] =>
  readdirSync(join(SHARED, folder))
    .sort()
    .slice(0, limit)
    .map((name) => join(SHARED, folder, name));

describeWithInput(SHARED, 'the shared corpus')('extractor output digests', () => {
  const work = mkdtempSync(join(tmpdir(), 'extractor-digests-'));
  const recorded: Partial<Record<DigestFormat, Recorded>> = existsSync(DIGESTS_FILE)
    ? (JSON.parse(readFileSync(DIGESTS_FILE, 'utf8')) as Partial<Record<DigestFormat, Recorded>>)
    : {};
  const measured: Partial<Record<DigestFormat, Recorded>> = {};
  let bom: BomFixtures;

  beforeAll(async () => {
    bom = await BomFixtures.create();
  });
  afterAll(async () => {
    await bom.dispose();
    rmSync(work, { recursive: true, force: true });
    if (UPDATE && Object.keys(measured).length === 5) {
      const ordered = Object.fromEntries(
        Object.entries(measured).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
      writeFileSync(DIGESTS_FILE, `${JSON.stringify(ordered, null, 2)}\n`);
    }
  });

  const inputs: Record<DigestFormat, () => Promise<string[]>> = {
    dxf: async () => {
      const features = join(work, 'features.dxf');
      writeFileSync(features, featuresDrawing());
      const title = join(work, 'title-block.dxf');
      writeFileSync(title, textTitleBlockDrawing());
      return [...sharedFiles('dxf', 1000), features, title];
    },
    ifc: async () => [...sharedFiles('ifc', 8), writeIfc4Sample(work)],
    step: async () => [...sharedFiles('step', 3), writeBoxStep(work)],
    pdf: async () => {
      // Not the scanned ones: pdf-lib stamps them with the current date.
      const pdf = await generatePdfFixtures(work);
      return [pdf.drawing, pdf.truncated, pdf.encrypted, pdf.notPdf];
    },
    bom: async () => [
      await bom.text(
        'bom.csv',
        'Pos;Part number;Description;Qty\n1;A-100;Frame;1\n1.1;A-110;Bolt M8;4\n2;B-200;Cover;2\n',
      ),
    ],
  };

  it.each(Object.keys(inputs) as DigestFormat[])(
    '%s: output unchanged, or changed with a version bump',
    async (format) => {
      const files = await inputs[format]();
      const now: Recorded = {
        version: EXTRACTOR_VERSIONS[format],
        files: files.length,
        digest: await digestOf(format, files),
      };
      measured[format] = now;
      if (UPDATE) return;
      const before = recorded[format];
      expect(before).toBeDefined();
      if (before!.version === now.version && before!.digest !== now.digest) {
        throw new Error(
          `The ${format} extractor's output on the corpus changed but EXTRACTOR_VERSIONS.${format} is still ${now.version}: bump it, then record the new digest (UPDATE_EXTRACTOR_DIGESTS=1)`,
        );
      }
      // A bump must come with its new digest recorded, so the next change is caught again.
      expect(now).toEqual(before);
    },
    300_000,
  );
});
