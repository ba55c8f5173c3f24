/**
 * Per-page analyses in dependency order: ruled tables (title-block grids set aside), title-block
 * pairs, borderless tables among the remaining text, dimensions among what no table or title
 * block claimed, and text blocks.
 */
import { findBorderlessGrids } from './borderless-tables';
import { declaredUnit, parseDimensions, toPdfDimension } from './dimensions';
import { PageContent } from './page-reader';
import { PdfDimension, PdfTable, TextItem, TextSegment } from './pdf-types';
import { findRuledGrids } from './ruled-tables';
import { buildTable } from './table-analysis';
import { LayoutBlock, buildBlocks } from './text-layout';
import {
  LooseTitleTexts,
  TitlePair,
  findTitlePairs,
  looksLikeTitleBlock,
  looseTitleTexts,
  titleBlockRegion,
} from './title-block';

export interface PageAnalysis {
  page: number;
  tables: PdfTable[];
  titlePairs: TitlePair[];
  /** Unlabelled texts where title-block fields may stand, in order of preference. */
  titleLoose: LooseTitleTexts;
  /** Mean confidence of the title-block text (OCR lowers it). */
  titleConfidence: number;
  dimensions: PdfDimension[];
  blocks: LayoutBlock[];
  segments: TextSegment[];
  /** Unit the page declares for plain values ("ALL DIMENSIONS IN MM"), if any. */
  declaredUnit: string | null;
}

export interface AnalysisOptions {
  tables: boolean;
  dimensions: boolean;
  text: boolean;
}

const claimedBy =
  (items: Set<TextItem>) =>
  (seg: TextSegment): boolean =>
    seg.items.some((i) => items.has(i));

export function analysePage(content: PageContent, opts: AnalysisOptions): PageAnalysis {
  const { page, width, height, items, segments } = content.text;
  const tables: PdfTable[] = [];
  const tableItems = new Set<TextItem>();
  const titleGridItems = new Set<TextItem>();

  const rules = content.graphics?.rules ?? [];
  for (const grid of rules.length > 0 ? findRuledGrids(rules, items, width, height) : []) {
    if (looksLikeTitleBlock(grid.cells)) {
      grid.items.forEach((i) => titleGridItems.add(i));
      continue;
    }
    const table = buildTable(grid, page, 'ruled');
    if (table) {
      tables.push(table);
      grid.items.forEach((i) => tableItems.add(i));
    }
  }

  const inTable = claimedBy(tableItems);
  const free = segments.filter((s) => !inTable(s));
  const titleCandidates = titleBlockRegion(free, width, height);
  const titlePairs = findTitlePairs(titleCandidates);
  const titleSegments = new Set(titlePairs.flatMap((p) => p.segments));
  const inTitleGrid = claimedBy(titleGridItems);
  const loose = free.filter((s) => !titleSegments.has(s) && !inTitleGrid(s));
  if (opts.tables) {
    for (const grid of findBorderlessGrids(loose.filter((s) => s.items[0]?.horizontal))) {
      if (looksLikeTitleBlock(grid.cells)) continue;
      const table = buildTable(grid, page, 'borderless');
      if (table) {
        tables.push(table);
        grid.items.forEach((i) => tableItems.add(i));
      }
    }
  }

  // Title-block fields without labels, among the text no table or labelled pair claimed: the
  // texts of a title-block grid first, then the usual places on the sheet.
  const inAnyTable = claimedBy(tableItems);
  const titleLoose = looseTitleTexts(
    free.filter((s) => !titleSegments.has(s) && !inAnyTable(s) && s.items[0]?.horizontal),
    width,
    height,
    inTitleGrid,
  );
  const titleText = [...titleSegments, ...titleLoose.corner, ...titleLoose.bottom];
  const titleConfidence =
    titleText.length === 0
      ? 0
      : titleText.reduce((s, seg) => s + seg.confidence, 0) / titleText.length;

  const dimensions: PdfDimension[] = [];
  const unit = declaredUnit(segments.map((s) => s.text));
  if (opts.dimensions) {
    for (const seg of loose) {
      if (inAnyTable(seg)) continue;
      for (const match of parseDimensions(seg.text, unit)) {
        dimensions.push(toPdfDimension(match, page, roundBox(seg.bbox), seg.confidence));
      }
    }
  }

  return {
    page,
    tables: opts.tables ? tables : [],
    titlePairs,
    titleLoose,
    titleConfidence,
    dimensions,
    // Table cells are reported in their tables, not again as loose text blocks.
    blocks: opts.text ? buildBlocks(segments.filter((s) => !claimedBy(tableItems)(s))) : [],
    segments,
    declaredUnit: unit,
  };
}

export function roundBox(b: [number, number, number, number]): [number, number, number, number] {
  return b.map((v) => Math.round(v * 100) / 100) as [number, number, number, number];
}
