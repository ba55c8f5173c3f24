/**
 * DXF extractor: a streaming group-code reader (no whole-file text, bounded memory) feeding a state
 * machine that fills the CAD envelope. Decisions and limits: docs/dxf-extractor.md.
 */
import { statSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CadExtractionResult } from '../cad-result';
import { ExtractionError } from '../extraction-error';
import {
  Extractor,
  ExtractorInput,
  ExtractorOptions,
  boolOption,
  throwIfAborted,
} from '../extractor';
import { DxfLimits, dxfLimits } from './dxf-limits';
import { DxfSections, buildResult } from './dxf-result';
import { DxfScanner } from './dxf-scanner';
import { sniffDxf } from './dxf-sniff';
import { BinaryGroupReader } from './binary-group-reader';
import { AsciiGroupReader, GroupReader } from './group-code-reader';

/** Bytes parsed between progress reports, abort checks and event-loop yields. */
const STEP_BYTES = 4 << 20;

interface ParsedOptions {
  sections: DxfSections;
  maxEntities: number;
}

export function parseDxfOptions(options: ExtractorOptions, limits: DxfLimits): ParsedOptions {
  const sections: DxfSections = {
    layers: boolOption(options, 'extract_layers', true),
    blocks: boolOption(options, 'extract_blocks', true),
    dimensions: boolOption(options, 'extract_dimensions', true),
    text: boolOption(options, 'extract_text', true),
    titleBlock: boolOption(options, 'extract_title_block', true),
    geometry: boolOption(options, 'extract_geometry', true),
    entities: boolOption(options, 'extract_entities', false),
  };
  const raw = options.max_entities;
  let maxEntities = limits.defaultMaxEntities;
  if (raw !== undefined && raw !== null && raw !== '') {
    const n = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > limits.hardMaxEntities) {
      throw new ExtractionError(
        'INVALID_OPTIONS',
        `Option "max_entities" must be an integer from 0 to ${limits.hardMaxEntities}`,
      );
    }
    maxEntities = n;
  }
  return { sections, maxEntities };
}

async function extractDxf(input: ExtractorInput): Promise<CadExtractionResult> {
  const started = performance.now();
  const limits = dxfLimits();
  const { sections, maxEntities } = parseDxfOptions(input.options, limits);
  throwIfAborted(input.signal);
  let fileSize: number;
  try {
    fileSize = statSync(input.filePath).size;
  } catch (err) {
    throw new ExtractionError(
      'CORRUPT_FILE',
      `The DXF file cannot be read: ${(err as Error).message}`,
    );
  }
  if (fileSize > limits.maxFileBytes) {
    throw new ExtractionError(
      'FILE_TOO_LARGE',
      `The DXF file is ${(fileSize / 1048576).toFixed(1)} MB; the limit is ${(limits.maxFileBytes / 1048576).toFixed(0)} MB (DXF_MAX_FILE_MB)`,
    );
  }
  const sniff = sniffDxf(input.filePath, fileSize);
  const reader: GroupReader = sniff.binary
    ? new BinaryGroupReader(input.filePath, fileSize, { r12: sniff.r12 })
    : new AsciiGroupReader(input.filePath, fileSize, {
        startOffset: sniff.startOffset,
        crLineEnds: sniff.crLineEnds,
      });
  const scanner = new DxfScanner(
    reader,
    {
      text: sections.text || sections.titleBlock,
      dimensions: sections.dimensions,
      inserts: true,
      rectangles: sections.titleBlock,
      entities: sections.entities,
      maxEntities,
    },
    limits,
  );
  input.onProgress({ progress: 0, message: 'reading DXF' });
  try {
    while (scanner.step(STEP_BYTES)) {
      throwIfAborted(input.signal);
      const pct = fileSize ? Math.min(99, Math.floor((reader.bytesRead / fileSize) * 100)) : 0;
      input.onProgress({
        progress: pct,
        message: `${(reader.bytesRead / 1048576).toFixed(1)} of ${(fileSize / 1048576).toFixed(1)} MB read`,
      });
      await yieldToEventLoop();
      throwIfAborted(input.signal);
    }
  } catch (err) {
    if (ExtractionError.isExtractionError(err)) throw err;
    throw new ExtractionError('EXTRACTION_FAILED', `DXF parsing failed: ${(err as Error).message}`);
  } finally {
    reader.close();
  }
  if (reader.groups === 0) throw new ExtractionError('CORRUPT_FILE', 'The DXF file holds no data');
  if (scanner.sections.length === 0) {
    throw new ExtractionError(
      'CORRUPT_FILE',
      'No DXF SECTION found: the file is not a DXF drawing',
    );
  }
  const result = buildResult(scanner, sections, {
    filename: input.filename,
    fileSize,
    limits,
    maxEntities,
    elapsedMs: performance.now() - started,
  });
  const decoding = reader.decoding;
  result.metadata.format = sniff.binary ? 'binary' : 'ascii';
  result.metadata.text_encoding = decoding.kind === 'utf8' ? 'utf-8' : decoding.label;
  if (decoding.kind === 'codepage' && decoding.sawUtf8) {
    const cp = result.metadata.code_page as string | null;
    result.warnings.push(
      cp
        ? `Some strings are UTF-8 although the file declares code page ${cp}: read as UTF-8`
        : `Some strings are UTF-8 although the file's version implies ${decoding.label}: read as UTF-8`,
    );
  }
  if (!scanner.sawEof) {
    if (scanner.insideSection || reader.endedMidPair) {
      result.success = false;
      result.errors.push(
        `The DXF file is truncated (it ends inside the ${scanner.sections[scanner.sections.length - 1] ?? ''} section after ${reader.bytesRead} bytes): the result is partial`,
      );
    } else {
      result.warnings.push('The DXF file has no EOF marker');
    }
  }
  input.onProgress({ progress: 100, message: 'done' });
  return result;
}

export const dxfExtractor: Extractor<CadExtractionResult> = {
  format: 'dxf',
  extract: (input) =>
    extractDxf(input).catch((err: unknown) => {
      // Anything that is not already a coded error (an fs failure, a bug) becomes EXTRACTION_FAILED.
      if (ExtractionError.isExtractionError(err)) throw err;
      throw new ExtractionError('EXTRACTION_FAILED', `DXF extraction failed: ${String(err)}`);
    }),
};
