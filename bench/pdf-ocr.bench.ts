/**
 * OCR on drawings: token recall and time of tesseract's page modes (3 = automatic layout, the
 * former default; 11 = sparse text, the default now) with and without erasing long lines before
 * OCR, on generated sheets: a scanned shop drawing, the same sheet with SHX-style stroke text, four
 * labels beside a dimension, and the scanned A4 document of the PDF suite.
 *
 *   npx ts-node --transpile-only bench/pdf-ocr.bench.ts
 *
 * Recall = share of the words drawn on the sheet that OCR returns (after the noise filter, which
 * is also shown unfiltered with the count of words that match nothing). Lines = share of the
 * sheet's text lines that come out of the layout as one segment each, with the words grouped by
 * tesseract's lines after the noise filter (now) and by geometry without the filter (former). Time is CPU (main thread
 * plus the tesseract worker thread) for recognition only, with the ratio to the former default in
 * the same run; rendering is the same for all and printed once per sheet.
 */
import fs from 'node:fs';
import { OcrEngine, OcrWord } from '../src/extraction/extractors/pdf/ocr-engine';
import { dropOcrNoise, ocrTextItems } from '../src/extraction/extractors/pdf/ocr-words';
import { TextItem } from '../src/extraction/extractors/pdf/pdf-types';
import { buildSegments } from '../src/extraction/extractors/pdf/text-layout';
import { openPdf } from '../src/extraction/extractors/pdf/pdf-document';
import { renderPageToPng } from '../src/extraction/extractors/pdf/page-raster';
import { loadPdfJs } from '../src/extraction/extractors/pdf/pdfjs-loader';
import {
  SCANNED_CALLOUT,
  SCANNED_LINES,
  SCANNED_TITLE_BLOCK,
  generatePdfFixtures,
  removePdfFixtures,
} from '../test/fixtures/pdf/generate-pdf-fixtures';
import {
  BAY_LABELS,
  SHX_CALLOUTS,
  SHX_NOTES,
  SHX_TITLE,
  STACKED_LABELS,
  generateShopDrawingFixtures,
  removeShopDrawingFixtures,
} from '../test/fixtures/pdf/shop-drawing-fixtures';

const tokens = (texts: string[]): string[] =>
  texts
    .join(' ')
    .split(/\s+/)
    .map((t) => t.replace(/^[.,:;]+|[.,:;]+$/g, ''))
    .filter(Boolean);

function recall(words: OcrWord[], expected: string[]): { recall: number; stray: number } {
  const found = new Set(tokens(words.map((w) => w.text)));
  const wanted = tokens(expected);
  const wantedSet = new Set(wanted);
  return {
    recall: wanted.filter((t) => found.has(t)).length / wanted.length,
    stray: tokens(words.map((w) => w.text)).filter((t) => !wantedSet.has(t)).length,
  };
}

/** Share of the expected lines that the layout returns as segments of their own. */
function lineRecall(items: TextItem[], expected: string[]): number {
  const segments = new Set(buildSegments(items).map((s) => s.text));
  return expected.filter((line) => segments.has(line)).length / expected.length;
}

const CONFIGS = [
  { name: 'PSM 3, plain render (former)', mode: '3', erase: false },
  { name: 'PSM 3, lines erased', mode: '3', erase: true },
  { name: 'PSM 11, plain render', mode: '11', erase: false },
  { name: 'PSM 11, lines erased (default)', mode: '11', erase: true },
] as const;

async function main(): Promise<void> {
  const pdf = await generatePdfFixtures();
  const shop = await generateShopDrawingFixtures();
  const shopText = [
    ...STACKED_LABELS,
    ...BAY_LABELS,
    ...Object.values(SHX_TITLE),
    ...SHX_NOTES,
    ...SHX_CALLOUTS,
  ];
  const sheets: [string, string, string[]][] = [
    ['scanned shop sheet (612x396 pt)', shop.scannedSheet, shopText],
    ['SHX stroke-text sheet (612x396 pt)', shop.shxSheet, shopText],
    ['labels beside a dimension (300x260 pt)', shop.stackedLabels, STACKED_LABELS],
    [
      'scanned A4 document page',
      pdf.scanned,
      [...SCANNED_LINES, SCANNED_CALLOUT, ...SCANNED_TITLE_BLOCK.flat()],
    ],
  ];
  const pdfjs = await loadPdfJs();
  for (const [name, file, expected] of sheets) {
    console.log(`== ${name}: ${tokens(expected).length} words drawn`);
    const doc = await openPdf(pdfjs, new Uint8Array(fs.readFileSync(file)));
    const page = await doc.getPage(1);
    let baseline = 0;
    for (const config of CONFIGS) {
      const t0 = Date.now();
      const { png, scale } = await renderPageToPng(page, { eraseLongLines: config.erase });
      const renderMs = Date.now() - t0;
      const engine = new OcrEngine('eng', 600_000, config.mode);
      await engine.recognize(png, new AbortController().signal); // Worker start-up excluded.
      const c0 = process.cpuUsage();
      const words = await engine.recognize(png, new AbortController().signal);
      const cpu = process.cpuUsage(c0);
      await engine.terminate();
      const cpuMs = (cpu.user + cpu.system) / 1000;
      if (baseline === 0) baseline = cpuMs;
      const raw = recall(words, expected);
      const kept = recall(dropOcrNoise(words), expected);
      const items = ocrTextItems(words, scale);
      // Former layout: every word, grouped into lines by geometry alone.
      const former: TextItem[] = words.map((w) => ({
        text: w.text,
        x0: w.x0 / scale,
        y0: w.y0 / scale,
        x1: w.x1 / scale,
        y1: w.y1 / scale,
        fontSize: (w.y1 - w.y0) / scale / 0.75,
        horizontal: true,
        confidence: w.confidence,
      }));
      console.log(
        `${config.name.padEnd(32)} recall ${kept.recall.toFixed(2)} (unfiltered ${raw.recall.toFixed(2)}, ` +
          `stray words ${raw.stray} -> ${kept.stray})  lines ${lineRecall(items, expected).toFixed(2)} ` +
          `(former layout ${lineRecall(former, expected).toFixed(2)})  ${cpuMs.toFixed(0).padStart(6)} ms cpu ` +
          `(${(cpuMs / baseline).toFixed(2)}x)  render ${renderMs} ms`,
      );
    }
    await doc.destroy();
  }
}

main()
  .finally(async () => {
    await removePdfFixtures();
    await removeShopDrawingFixtures();
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
