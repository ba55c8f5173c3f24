/** Assembles the CAD envelope from a finished scan, honouring the section options. */
import { CadExtractionResult, CadLayer, emptyGeometrySummary } from '../cad-result';
import { aciColorName, trueColorHex } from './aci-colors';
import { buildBlockList, isAnonymousBlock, isLayoutBlock } from './dxf-blocks';
import { bomFromInserts } from './dxf-bom';
import { toCadDimension } from './dxf-dimensions';
import { headerMetadata } from './dxf-header';
import { DxfLimits } from './dxf-limits';
import { DxfScanner, LayerDef } from './dxf-scanner';
import { findTitleBlock } from './dxf-title-block';

export interface DxfSections {
  layers: boolean;
  blocks: boolean;
  dimensions: boolean;
  text: boolean;
  titleBlock: boolean;
  geometry: boolean;
  entities: boolean;
}

export interface DxfLayer extends CadLayer {
  /** ACI colour number (negative in the file when the layer is off; reported positive). */
  color_number: number | null;
  true_color: string | null;
  plot: boolean | null;
  /** False for layers used by entities but missing from the LAYER table. */
  defined: boolean;
}

/** Lineweight group 370 is in 1/100 mm; -1/-2/-3 (ByLayer/ByBlock/Default) give null. */
function lineweightMm(raw: number | null): number | null {
  return raw === null || raw < 0 ? null : raw / 100;
}

function toLayer(def: LayerDef, count: number): DxfLayer {
  const color = def.color;
  return {
    name: def.name,
    color: trueColorHex(def.trueColor) ?? aciColorName(color),
    linetype: def.linetype,
    lineweight: lineweightMm(def.lineweight),
    is_on: color === null || color >= 0,
    is_frozen: (def.flags & 1) === 1,
    is_locked: (def.flags & 4) === 4,
    entity_count: count,
    color_number: color === null ? null : Math.abs(color),
    true_color: trueColorHex(def.trueColor),
    plot: def.plot,
    defined: true,
  };
}

function layerList(scan: DxfScanner): DxfLayer[] {
  const out = [...scan.layers.values()].map((l) => toLayer(l, scan.layerCounts.get(l.name) ?? 0));
  for (const [name, count] of scan.layerCounts) {
    if (scan.layers.has(name)) continue;
    const def = {
      name,
      flags: 0,
      color: 7,
      trueColor: null,
      linetype: 'Continuous',
      lineweight: -3,
      plot: null,
    };
    out.push({
      ...toLayer(def, count),
      color: null,
      color_number: null,
      linetype: null,
      defined: false,
    });
  }
  return out;
}

function capWarnings(scan: DxfScanner, limits: DxfLimits, maxEntities: number): void {
  const d = scan.dropped;
  const w = scan.warnings;
  if (d.texts)
    w.add(`Only the first ${limits.maxTexts} texts are listed (${d.texts} more not listed)`);
  if (d.dimensions) {
    w.add(
      `Only the first ${limits.maxDimensions} dimensions are listed (${d.dimensions} more not listed)`,
    );
  }
  if (d.inserts) {
    w.add(`Attributes of only the first ${limits.maxInserts} inserts are kept (${d.inserts} more)`);
  }
  if (d.entities) {
    w.add(
      `Only the first ${maxEntities} entities are returned (${d.entities} more): raise max_entities`,
    );
  }
  if (d.layers) w.add(`More than ${limits.maxLayers} layers: the rest are not listed`);
}

export function buildResult(
  scan: DxfScanner,
  sections: DxfSections,
  ctx: {
    filename: string;
    fileSize: number;
    limits: DxfLimits;
    maxEntities: number;
    elapsedMs: number;
  },
): CadExtractionResult {
  const meta = headerMetadata(scan.header);
  const unit = (meta.units as string | null) ?? null;
  capWarnings(scan, ctx.limits, ctx.maxEntities);
  const layoutBlocks = scan.blocks.filter(isLayoutBlock).length;
  const unnamed = scan.blocks.filter(isAnonymousBlock).length;
  const computedExtents = scan.computedExtents;
  const blocks = sections.blocks
    ? buildBlockList(scan.blocks, scan.insertCounts, scan.inserts, scan.warnings)
    : [];
  const titleBlock = sections.titleBlock
    ? findTitleBlock(scan.inserts, scan.texts, scan.rectangles)
    : null;
  if (unit === null && sections.dimensions && scan.dimensions.length) {
    scan.warnings.add('The drawing declares no units ($INSUNITS): linear dimension units are null');
  }
  const metadata: Record<string, unknown> = {
    ...meta,
    extents: meta.extents ?? computedExtents,
    extents_source: meta.extents ? 'header' : computedExtents ? 'computed' : null,
    file_size: ctx.fileSize,
    sections: scan.sections,
    entity_counts: Object.fromEntries(scan.entityCounts),
    model_space_entities: scan.geometry.total_entities,
    paper_space_entities: scan.paperSpaceEntities,
    layer_count: scan.layers.size,
    block_count: scan.blocks.length - unnamed,
    // *Model_Space and *Paper_Space* are layouts, not anonymous blocks (*D, *U, *X …).
    anonymous_block_count: unnamed - layoutBlocks,
    layout_block_count: layoutBlocks,
    parse_time_ms: Math.round(ctx.elapsedMs),
  };
  return {
    source_file: ctx.filename,
    source_type: 'dxf',
    success: true,
    metadata,
    errors: [],
    warnings: [...scan.warnings],
    layers: sections.layers ? layerList(scan) : [],
    blocks,
    dimensions: sections.dimensions ? scan.dimensions.map((d) => toCadDimension(d, unit)) : [],
    text_blocks: sections.text ? scan.texts : [],
    title_block: titleBlock,
    geometry_summary: sections.geometry ? { ...scan.geometry } : emptyGeometrySummary(),
    entities: sections.entities ? scan.entities : [],
    bom: bomFromInserts(scan.inserts),
  };
}
