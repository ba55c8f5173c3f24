/**
 * The compiled extractor (dist/, as worker threads load it) must import the ESM pdf.js build
 * through a real dynamic import, outside Jest's sandbox. Needs `nest build` (scripts/test.sh
 * builds first).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  PdfFixtures,
  generatePdfFixtures,
  removePdfFixtures,
} from '../fixtures/pdf/generate-pdf-fixtures';
import { describeWithInput } from '../support/required-input';

const compiled = path.resolve(
  __dirname,
  '../../dist/src/extraction/extractors/pdf/pdf.extractor.js',
);
const d = describeWithInput(compiled, 'the compiled PDF extractor (run nest build)');

const script = `
const { pdfExtractor } = require(process.argv[1]);
pdfExtractor.extract({ filePath: process.argv[2], filename: 'drawing.pdf', options: { pages: [1] },
  onProgress: () => {}, signal: new AbortController().signal })
  .then((r) => console.log(JSON.stringify({ n: r.metadata.num_pages, dn: r.title_block.drawing_number, t: r.tables[0].headers })))
  .catch((e) => { console.error(e); process.exit(1); });
`;

d('compiled PDF extractor (dist/)', () => {
  let fx: PdfFixtures;
  afterAll(() => removePdfFixtures());

  beforeAll(async () => {
    fx = await generatePdfFixtures();
  });

  it('loads pdf.js from plain Node and extracts the drawing', () => {
    const out = execFileSync(process.execPath, ['-e', script, compiled, fx.drawing], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(out)).toEqual({
      n: 3,
      dn: 'GB-1001',
      t: ['ITEM', 'PART NO', 'DESCRIPTION', 'QTY', 'MATERIAL'],
    });
  });
});
