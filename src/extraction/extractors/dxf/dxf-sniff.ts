/**
 * Looks at the first bytes before parsing: binary DXF, DWG, other formats renamed .dxf, binary junk.
 * Returns where the data starts and how to read it, or throws a permanent ExtractionError.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ExtractionError } from '../extraction-error';
import { BINARY_DXF_SENTINEL, binaryUsesOneByteCodes } from './binary-group-reader';
import { releaseName } from './dxf-header';

const OTHER_FORMATS: [RegExp, string][] = [
  [/^%PDF-/, 'a PDF document'],
  [/^PK\x03\x04/, 'a ZIP archive (or an Office/3MF file)'],
  [/^\x89PNG/, 'a PNG image'],
  [/^\xff\xd8\xff/, 'a JPEG image'],
  [/^GIF8/, 'a GIF image'],
  [/^(II\*\x00|MM\x00\*)/, 'a TIFF image'],
  [/^ISO-10303-21/, 'a STEP file'],
  [/^\s*<\?xml|^\s*<svg/i, 'an XML/SVG document'],
  [/^\{\s*"/, 'a JSON document'],
];

export interface SniffResult {
  /** Byte offset where DXF data starts (3 after a UTF-8 BOM, 22 after the binary sentinel). */
  startOffset: number;
  binary: boolean;
  /** Binary DXF with one-byte group codes (R12 and older). */
  r12: boolean;
  /** ASCII DXF whose lines end with a lone CR (classic Mac line ends; legal, ezdxf reads them). */
  crLineEnds: boolean;
}

export function sniffDxf(filePath: string, fileSize: number): SniffResult {
  if (fileSize === 0) throw new ExtractionError('CORRUPT_FILE', 'The DXF file is empty');
  const head = Buffer.alloc(Math.min(fileSize, 4096));
  const fd = openSync(filePath, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const latin = head.toString('latin1');
  if (latin.startsWith(BINARY_DXF_SENTINEL)) {
    return {
      startOffset: BINARY_DXF_SENTINEL.length,
      binary: true,
      r12: binaryUsesOneByteCodes(head),
      crLineEnds: false,
    };
  }
  if (latin.startsWith('AutoCAD Binary DXF')) {
    throw new ExtractionError('CORRUPT_FILE', 'The binary DXF sentinel is damaged');
  }
  const dwg = /^AC(10\d\d|1\.\d+|2\.\d+)/.exec(latin);
  if (dwg) {
    const release = releaseName(dwg[0]) ?? 'an old release';
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      `This is a DWG file (${dwg[0]}, ${release}), not a DXF: DWG is not readable here; export the drawing as DXF`,
    );
  }
  if (head[0] === 0xff && head[1] === 0xfe) {
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      'UTF-16 encoded DXF is not supported: save it as ASCII/UTF-8 DXF',
    );
  }
  for (const [re, what] of OTHER_FORMATS) {
    if (re.test(latin)) {
      throw new ExtractionError('CORRUPT_FILE', `This file is ${what}, not a DXF drawing`);
    }
  }
  const startOffset = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  if (head.subarray(startOffset).includes(0)) {
    throw new ExtractionError(
      'CORRUPT_FILE',
      'The file holds binary data: it is not a DXF text file',
    );
  }
  const first = /^\s*-?\d{1,6}[ \t]*(\r\n|\r|\n)/.exec(latin.slice(startOffset));
  if (!first) {
    throw new ExtractionError(
      'CORRUPT_FILE',
      'The file does not start with a DXF group code: it is not a DXF text file',
    );
  }
  // The first line end decides: a CR not followed by LF means CR-only lines throughout.
  return { startOffset, binary: false, r12: false, crLineEnds: first[1] === '\r' };
}
