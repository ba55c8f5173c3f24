/**
 * Which formats a file name may be, and what its first bytes must look like where the format has
 * a signature. The UI picks the format from the extension; so do bulk uploads.
 */
import { ExtractionFormat } from '../../extraction/entities/job-enums';

export const FORMAT_BY_EXTENSION: Readonly<Record<string, ExtractionFormat>> = {
  '.pdf': 'pdf',
  '.dxf': 'dxf',
  '.ifc': 'ifc',
  '.stp': 'step',
  '.step': 'step',
  '.png': 'werk24',
  '.jpg': 'werk24',
  '.jpeg': 'werk24',
  '.tif': 'werk24',
  '.tiff': 'werk24',
  '.xlsx': 'bom',
  '.csv': 'bom',
  '.tsv': 'bom',
};

export const ALLOWED_EXTENSIONS = Object.keys(FORMAT_BY_EXTENSION);

/** Extensions a format's file may have (werk24 reads drawings as PDF or images). */
export function extensionsFor(format: ExtractionFormat): string[] {
  const own = ALLOWED_EXTENSIONS.filter((ext) => FORMAT_BY_EXTENSION[ext] === format);
  return format === 'werk24' ? [...own, '.pdf'] : own;
}

export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot).toLowerCase() : '';
}

export function formatFromFilename(filename: string): ExtractionFormat | null {
  return FORMAT_BY_EXTENSION[extensionOf(filename)] ?? null;
}

const startsWith = (head: Buffer, bytes: number[]) => bytes.every((b, i) => head[i] === b);
const text = (head: Buffer) =>
  head
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart();

/** Checks the leading bytes against the extension; null when they fit, else what is wrong. */
export function signatureProblem(extension: string, head: Buffer): string | null {
  if (head.length === 0) return 'the file is empty';
  switch (extension) {
    case '.pdf':
      return head.subarray(0, 1024).includes('%PDF-') ? null : 'a PDF must start with %PDF-';
    case '.ifc':
    case '.stp':
    case '.step':
      return text(head).startsWith('ISO-10303-21')
        ? null
        : 'an IFC or STEP file must start with ISO-10303-21';
    case '.dxf': {
      if (head.subarray(0, 18).toString('latin1') === 'AutoCAD Binary DXF') return null;
      // Lines may end with LF, CR LF or a lone CR (legal; ezdxf reads all three).
      return /^(0|999)[ \t]*(\r\n?|\n)/.test(text(head))
        ? null
        : 'a DXF file must start with a group code (0 SECTION)';
    }
    case '.png':
      return startsWith(head, [0x89, 0x50, 0x4e, 0x47]) ? null : 'not a PNG image';
    case '.jpg':
    case '.jpeg':
      return startsWith(head, [0xff, 0xd8, 0xff]) ? null : 'not a JPEG image';
    case '.tif':
    case '.tiff':
      return startsWith(head, [0x49, 0x49, 0x2a, 0x00]) ||
        startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])
        ? null
        : 'not a TIFF image';
    case '.xlsx':
      return startsWith(head, [0x50, 0x4b, 0x03, 0x04])
        ? null
        : 'an .xlsx file must be a ZIP container';
    default:
      return head.includes(0) ? 'a text file must not contain NUL bytes' : null;
  }
}
