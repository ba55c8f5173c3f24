/**
 * One streaming pass over a DXF: a state machine fed group by group from a GroupReader
 * (ASCII or binary). It keeps
 * counts and only the records the options ask for (texts, dimensions, inserts with attributes,
 * entities), each list capped, so memory stays bounded whatever the file size. `step()` processes a
 * byte budget and returns, so the caller can report progress, yield and honour cancellation.
 */
import { CadTextBlock, GeometrySummary, emptyGeometrySummary } from '../cad-result';
import { RawDimension } from './dxf-dimensions';
import { SUB_ENTITIES, buildEntity, countGeometry, vertexPoint } from './dxf-entities';
import { Extents, ExtentsTracker } from './dxf-extents';
import { textOutline } from './dxf-text-extents';
import { HeaderVariable, WANTED_HEADER_VARIABLES, headerExtents } from './dxf-header';
import {
  Tags,
  attdefRecord,
  attribRecord,
  dimensionRecord,
  isNumericCode,
  rectangleOf,
  tagNum,
  tagStr,
  textRecord,
} from './dxf-records';
import { GroupReader } from './group-code-reader';
import { codePageDecoding, isUtf8Version, resolveCodePage } from './text-decoding';
import { DxfLimits } from './dxf-limits';
import { BlockDef, InsertRecord, LayerDef, ScanWants, WANTED_CODES, bump } from './dxf-scan-model';

export type { BlockDef, InsertRecord, LayerDef, ScanWants };

type Section = 'NONE' | 'EXPECT_NAME' | 'HEADER' | 'TABLES' | 'BLOCKS' | 'ENTITIES' | 'OTHER';
const MAX_TAGS = 200_000;
/** Texts whose outline (not only their insertion point) goes into the extents. */
const TEXT_TYPES = new Set(['TEXT', 'MTEXT', 'ATTRIB']);

export class DxfScanner {
  readonly header = new Map<string, HeaderVariable>();
  readonly layers = new Map<string, LayerDef>();
  readonly layerCounts = new Map<string, number>();
  readonly blocks: BlockDef[] = [];
  readonly insertCounts = new Map<string, number>();
  readonly inserts: InsertRecord[] = [];
  readonly dimensions: RawDimension[] = [];
  readonly texts: CadTextBlock[] = [];
  readonly entities: Record<string, unknown>[] = [];
  readonly entityCounts = new Map<string, number>();
  readonly geometry: GeometrySummary = emptyGeometrySummary();
  readonly sections: string[] = [];
  readonly warnings = new Set<string>();
  rectangles: { min: [number, number]; max: [number, number] }[] = [];
  paperSpaceEntities = 0;
  sawEof = false;
  /** Counts of records dropped by the caps, by list name. */
  readonly dropped = { texts: 0, dimensions: 0, inserts: 0, entities: 0, layers: 0 };

  private section: Section = 'NONE';
  private headerVar: HeaderVariable | null = null;
  private tableName: string | null = null;
  private expectTableName = false;
  // Current record (entity, table entry or block header).
  private type: string | null = null;
  private collecting = false;
  /** Codes to keep for the current record; null = all (entity extraction). */
  private wanted: Uint8Array | null = null;
  private tags: Tags = { codes: [], vals: [], nums: [], n: 0 };
  private layer = '0';
  private paper = false;
  private polyFlags = 0;
  private hasAttribs = false;
  private block: BlockDef | null = null;
  private inBlockHeader = false;
  private lastInsert: InsertRecord | null = null;
  private lastPolyline: Record<string, unknown> | null = null;
  /** Extents from the coordinates, only when the header has none (decided at the first block/entity). */
  private extents: ExtentsTracker | null | undefined = undefined;
  private trackingEntity = false;
  /** Paper-space flag of the last main entity (its VERTEX/ATTRIB records may not repeat group 67). */
  private parentPaper = false;

  constructor(
    private readonly r: GroupReader,
    private readonly wants: ScanWants,
    private readonly limits: DxfLimits,
  ) {}

  get done(): boolean {
    return this.sawEof;
  }

  /** Model-space extents computed from the coordinates; null when the header had valid ones. */
  get computedExtents(): Extents | null {
    return this.extents ? this.extents.result() : null;
  }

  /** True while inside a section (used to tell a truncated file from a missing EOF marker). */
  get insideSection(): boolean {
    return this.section !== 'NONE';
  }

  /** Processes groups until about `budgetBytes` more were read; false when the input is exhausted. */
  step(budgetBytes: number): boolean {
    const r = this.r;
    const stop = r.bytesRead + budgetBytes;
    while (r.bytesRead < stop) {
      if (!r.next()) {
        this.finishRecord();
        return false;
      }
      if (r.code === 0) this.onZero();
      else if (r.code === 999) continue;
      else this.onGroup(r.code);
      if (this.sawEof) return false;
    }
    return true;
  }

  private onZero(): void {
    const r = this.r;
    this.finishRecord();
    if (r.valueIs('SECTION')) {
      this.section = 'EXPECT_NAME';
      return;
    }
    if (r.valueIs('ENDSEC')) {
      if (this.section === 'HEADER') this.applyEncoding();
      this.section = 'NONE';
      this.block = null;
      return;
    }
    if (r.valueIs('EOF')) {
      this.sawEof = true;
      return;
    }
    const type = r.internStr();
    if (this.extents === undefined && (this.section === 'BLOCKS' || this.section === 'ENTITIES')) {
      this.extents = headerExtents(this.header) ? null : new ExtentsTracker();
    }
    switch (this.section) {
      case 'TABLES':
        if (type === 'TABLE') this.expectTableName = true;
        else if (type === 'ENDTAB') this.tableName = null;
        else if (this.tableName === 'LAYER' && type === 'LAYER') this.startRecord(type, true);
        return;
      case 'BLOCKS':
        if (type === 'BLOCK') {
          this.inBlockHeader = true;
          this.startRecord(type, true);
        } else if (type === 'ENDBLK') {
          this.block = null;
          this.extents?.endBlock();
        } else if (this.block) {
          this.startEntity(type);
        }
        return;
      case 'ENTITIES':
        this.startEntity(type);
        return;
      default:
        return;
    }
  }

  private onGroup(code: number): void {
    const r = this.r;
    switch (this.section) {
      case 'EXPECT_NAME':
        if (code === 2) {
          const name = r.str().toUpperCase();
          if (this.sections.length < 64) this.sections.push(name);
          this.section =
            name === 'HEADER' || name === 'TABLES' || name === 'BLOCKS' || name === 'ENTITIES'
              ? name
              : 'OTHER';
        }
        return;
      case 'HEADER':
        this.onHeaderGroup(code);
        return;
      case 'TABLES':
        if (this.expectTableName && code === 2) {
          this.tableName = r.str().toUpperCase();
          this.expectTableName = false;
          return;
        }
        break;
      case 'BLOCKS':
      case 'ENTITIES':
        break;
      default:
        return;
    }
    if (this.type === null) return;
    if (this.trackingEntity && ExtentsTracker.wants(code)) this.extents?.group(code, r.num());
    if (this.collecting) {
      const t = this.tags;
      const w = this.wanted;
      if (t.n < MAX_TAGS && (w === null || (code < 1072 && w[code] === 1))) {
        t.codes[t.n] = code;
        if (isNumericCode(code)) {
          t.nums[t.n] = r.num();
          t.vals[t.n] = '';
        } else {
          t.vals[t.n] = r.str();
          t.nums[t.n] = NaN;
        }
        t.n++;
      }
    }
    // Light path: the few groups every entity needs.
    if (code === 8) this.layer = r.internStr();
    else if (code === 67) this.paper = r.int() === 1;
    else if (code === 70 && this.type === 'POLYLINE') this.polyFlags = r.int() || 0;
    else if (code === 66 && this.type === 'INSERT') this.hasAttribs = r.int() === 1;
  }

  private onHeaderGroup(code: number): void {
    const r = this.r;
    if (code === 9) {
      const name = r.internStr();
      this.headerVar = null;
      if (WANTED_HEADER_VARIABLES.has(name) && !this.header.has(name)) {
        this.headerVar = {};
        this.header.set(name, this.headerVar);
      }
      return;
    }
    if (this.headerVar && this.headerVar[code] === undefined) {
      this.headerVar[code] = r.str();
      if (code === 1 || code === 3) this.applyEncoding();
    }
  }

  /** Chooses the string decoding once $ACADVER / $DWGCODEPAGE are known. */
  private applyEncoding(): void {
    const version = this.header.get('$ACADVER')?.[1] ?? null;
    if (isUtf8Version(version)) {
      this.r.decoding = { kind: 'utf8' };
      return;
    }
    const cp = this.header.get('$DWGCODEPAGE')?.[3] ?? null;
    const { label, known } = resolveCodePage(cp);
    if (!known) this.warnings.add(`Unknown code page "${cp}": text decoded as ${label}`);
    this.r.decoding = codePageDecoding(label);
  }

  private startRecord(type: string, collect: boolean, all = false): void {
    this.type = type;
    this.collecting = collect;
    this.wanted = all ? null : (WANTED_CODES[type] ?? null);
    this.tags.n = 0;
    this.layer = '0';
    this.paper = false;
    this.polyFlags = 0;
    this.hasAttribs = false;
    this.trackingEntity = false;
  }

  private startEntity(type: string): void {
    const w = this.wants;
    const all = w.entities && this.entities.length < w.maxEntities;
    const collect =
      all ||
      type === 'DIMENSION' ||
      type === 'TEXT' ||
      type === 'MTEXT' ||
      type === 'ATTRIB' ||
      type === 'ATTDEF' ||
      type === 'INSERT' ||
      (type === 'VERTEX' && this.lastPolyline !== null) ||
      (type === 'LWPOLYLINE' && w.rectangles && this.section === 'ENTITIES');
    this.startRecord(type, collect, all);
    const ext = this.extents;
    if (ext && (this.section === 'ENTITIES' || this.block !== null)) {
      ext.beginEntity(type);
      this.trackingEntity = ext.active;
    }
  }

  private finishRecord(): void {
    const type = this.type;
    if (type === null) return;
    this.type = null;
    if (type === 'LAYER') return this.finishLayer();
    if (type === 'BLOCK' && this.inBlockHeader) return this.finishBlockHeader();
    if (this.section === 'BLOCKS') return this.finishBlockEntity(type);
    if (this.section === 'ENTITIES') return this.finishEntity(type);
  }

  private finishLayer(): void {
    const t = this.tags;
    const name = tagStr(t, 2);
    if (name === null) return;
    if (this.layers.size >= this.limits.maxLayers) {
      this.dropped.layers++;
      return;
    }
    const plot = tagNum(t, 290);
    this.layers.set(name, {
      name,
      flags: tagNum(t, 70) ?? 0,
      color: tagNum(t, 62),
      trueColor: tagNum(t, 420),
      linetype: tagStr(t, 6),
      lineweight: tagNum(t, 370),
      plot: plot === null ? null : plot !== 0,
    });
  }

  private finishBlockHeader(): void {
    this.inBlockHeader = false;
    const t = this.tags;
    const block: BlockDef = {
      name: tagStr(t, 2) ?? tagStr(t, 3) ?? '',
      flags: tagNum(t, 70) ?? 0,
      base: [tagNum(t, 10) ?? 0, tagNum(t, 20) ?? 0, tagNum(t, 30) ?? 0],
      entityCount: 0,
      refs: new Map(),
      attdefs: [],
      xrefPath: tagStr(t, 1) || null,
      description: tagStr(t, 4) || null,
    };
    this.block = block;
    this.extents?.beginBlock(block.name, block.base);
    if (this.blocks.length < this.limits.maxBlocks) this.blocks.push(block);
    else
      this.warnings.add(
        `More than ${this.limits.maxBlocks} block definitions: the rest are not listed`,
      );
  }

  private finishBlockEntity(type: string): void {
    const block = this.block;
    if (!block) return;
    if (!SUB_ENTITIES.has(type)) block.entityCount++;
    if (type === 'INSERT') {
      const name = tagStr(this.tags, 2);
      if (name !== null) bump(block.refs, name, 10_000, this.warnings);
    } else if (type === 'ATTDEF' && block.attdefs.length < 1000) {
      block.attdefs.push(attdefRecord(this.tags));
    }
    this.endExtentsEntity(type, 'block');
    this.maybeBuildEntity(type, 'block');
  }

  private finishEntity(type: string): void {
    const t = this.tags;
    const layer = this.layer;
    if (SUB_ENTITIES.has(type)) {
      this.endExtentsEntity(type, this.paper || this.parentPaper ? 'skip' : 'model');
    } else {
      this.parentPaper = this.paper;
      this.endExtentsEntity(type, this.paper ? 'skip' : 'model');
    }
    if (!SUB_ENTITIES.has(type)) {
      this.lastInsert = null;
      if (type !== 'POLYLINE') this.lastPolyline = null;
      if (this.paper) this.paperSpaceEntities++;
      else this.countModelEntity(type, layer);
    }
    switch (type) {
      case 'TEXT':
      case 'MTEXT':
        if (this.wants.text) this.pushText(textRecord(type, t, layer));
        break;
      case 'DIMENSION':
        if (!this.wants.dimensions) break;
        if (this.dimensions.length < this.limits.maxDimensions) {
          this.dimensions.push(dimensionRecord(t, layer));
        } else this.dropped.dimensions++;
        break;
      case 'INSERT':
        this.finishInsert(t, layer);
        break;
      case 'ATTRIB':
        this.finishAttrib(t, layer);
        break;
      case 'VERTEX':
        if (this.lastPolyline) {
          const v = this.lastPolyline.vertices as unknown[];
          const p = vertexPoint(t);
          if (p && v.length < 10_000) v.push(p);
        }
        break;
      case 'SEQEND':
        this.lastInsert = null;
        this.lastPolyline = null;
        break;
      case 'LWPOLYLINE':
        if (this.wants.rectangles && !this.paper) this.noteRectangle(t);
        break;
      default:
        break;
    }
    const built = this.maybeBuildEntity(type, this.paper ? 'paper' : 'model');
    if (built && type === 'POLYLINE') this.lastPolyline = built;
  }

  private endExtentsEntity(type: string, target: 'block' | 'model' | 'skip'): void {
    const ext = this.extents;
    if (!ext || !this.trackingEntity) return;
    this.trackingEntity = false;
    if (type === 'INSERT' || type === 'DIMENSION') ext.insertName = tagStr(this.tags, 2);
    else if (TEXT_TYPES.has(type) && this.collecting) ext.outline = textOutline(type, this.tags);
    ext.endEntity(target);
  }

  private countModelEntity(type: string, layer: string): void {
    bump(this.entityCounts, type, 1_000, this.warnings);
    countGeometry(this.geometry, type, this.polyFlags);
    const n = this.layerCounts.get(layer);
    if (n !== undefined) this.layerCounts.set(layer, n + 1);
    else if (this.layerCounts.size < this.limits.maxLayers) this.layerCounts.set(layer, 1);
    else this.dropped.layers++;
  }

  private pushText(text: CadTextBlock | null): void {
    if (!text) return;
    if (this.texts.length < this.limits.maxTexts) this.texts.push(text);
    else this.dropped.texts++;
  }

  private finishInsert(t: Tags, layer: string): void {
    const name = tagStr(t, 2) ?? '';
    bump(this.insertCounts, name, 2 * this.limits.maxBlocks, this.warnings);
    if (!this.hasAttribs || !this.wants.inserts) return;
    if (this.inserts.length >= this.limits.maxInserts) {
      this.dropped.inserts++;
      return;
    }
    const p10 = [tagNum(t, 10), tagNum(t, 20), tagNum(t, 30) ?? 0];
    const rec: InsertRecord = {
      block: name,
      layer,
      position: p10[0] === null || p10[1] === null ? null : (p10 as [number, number, number]),
      attributes: [],
      paper: this.paper,
    };
    this.inserts.push(rec);
    this.lastInsert = rec;
  }

  private finishAttrib(t: Tags, layer: string): void {
    const a = attribRecord(t, layer);
    if (this.lastInsert && this.lastInsert.attributes.length < 1000) {
      this.lastInsert.attributes.push({ tag: a.tag, value: a.value });
    }
    if (this.wants.text && !a.invisible) this.pushText(a.text);
  }

  private noteRectangle(t: Tags): void {
    const rect = rectangleOf(t);
    if (!rect) return;
    this.rectangles.push(rect);
    if (this.rectangles.length > 64) {
      const area = (r: (typeof this.rectangles)[number]) =>
        (r.max[0] - r.min[0]) * (r.max[1] - r.min[1]);
      this.rectangles.sort((a, b) => area(b) - area(a));
      this.rectangles = this.rectangles.slice(0, 32);
    }
  }

  private maybeBuildEntity(type: string, space: 'model' | 'paper' | 'block') {
    const w = this.wants;
    if (!w.entities || SUB_ENTITIES.has(type) || space === 'block') return null;
    if (this.entities.length >= w.maxEntities) {
      this.dropped.entities++;
      return null;
    }
    if (!this.collecting) return null;
    const e = buildEntity(type, this.tags, this.layer, space);
    this.entities.push(e);
    return e;
  }
}
