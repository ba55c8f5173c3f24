/**
 * Plain-text pieces of ISO 10303-21 (the "STEP physical file" that both STEP and IFC use):
 * a byte-level sniff that rejects what is not such a file before any WASM sees it, a parameter
 * parser for single records and the string decoding rules (\X2\, \X\, '').
 */
import { ExtractionError } from '../extraction-error';

export const ISO_MAGIC = 'ISO-10303-21;';
export const ISO_TRAILER = 'END-ISO-10303-21;';

/** A parsed parameter: strings, numbers, refs (#12), enums (.T.), $, *, lists, typed values. */
export type StepValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'ref'; value: number }
  | { kind: 'enum'; value: string }
  | { kind: 'null' }
  | { kind: 'derived' }
  | { kind: 'list'; items: StepValue[] }
  | { kind: 'typed'; type: string; args: StepValue[] }
  | { kind: 'binary'; value: string };

export interface SniffResult {
  /** The HEADER section text (between HEADER; and ENDSEC;). */
  headerText: string;
  /** Byte offset just after "DATA;" is not needed by callers; only whether it exists. */
  hasDataSection: boolean;
}

const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 4 * 1024;

/**
 * Checks the bytes look like a complete ISO-10303-21 file: magic first, a HEADER section, a DATA
 * section and the END-ISO-10303-21 trailer (a missing trailer means the file was cut short).
 * `what` names the expected format in messages ("IFC", "STEP").
 */
export function sniffIso10303(bytes: Uint8Array, what: string): SniffResult {
  if (bytes.length === 0) {
    throw new ExtractionError('CORRUPT_FILE', `The ${what} file is empty (0 bytes)`);
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      `The ${what} file is a ZIP archive (e.g. ifcZIP / STEPZ); unpack it and upload the .${what.toLowerCase()} text file`,
    );
  }
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HEAD_BYTES))
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  const start = head.trimStart();
  if (start.startsWith('<?xml') || start.startsWith('<')) {
    throw new ExtractionError(
      'UNSUPPORTED_FORMAT',
      `The ${what} file is XML (ifcXML / STEP-XML); only the ISO-10303-21 text encoding is supported`,
    );
  }
  if (!start.startsWith(ISO_MAGIC)) {
    if (hasBinaryBytes(head)) {
      throw new ExtractionError(
        'CORRUPT_FILE',
        `The file is not a valid ${what} file: it holds binary data instead of the ISO-10303-21 text header`,
      );
    }
    throw new ExtractionError(
      'CORRUPT_FILE',
      `The file is not a valid ${what} file: it does not start with "${ISO_MAGIC}"`,
    );
  }
  const headerMatch = /HEADER\s*;([\s\S]*?)ENDSEC\s*;/.exec(start);
  if (!headerMatch) {
    throw new ExtractionError(
      'CORRUPT_FILE',
      `The ${what} file has no complete HEADER section (truncated or damaged)`,
    );
  }
  const tailStart = Math.max(0, bytes.length - TAIL_BYTES);
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + tailStart, bytes.length - tailStart)
    .toString('latin1')
    .trimEnd();
  if (!tail.endsWith(ISO_TRAILER)) {
    throw new ExtractionError(
      'CORRUPT_FILE',
      `The ${what} file is truncated: it does not end with "${ISO_TRAILER}"`,
    );
  }
  const afterHeader = start.slice(headerMatch.index + headerMatch[0].length);
  const hasDataSection = /^\s*DATA\s*[;(]/.test(afterHeader) || /\bDATA\s*;/.test(start);
  if (!hasDataSection) {
    throw new ExtractionError('CORRUPT_FILE', `The ${what} file has no DATA section`);
  }
  return { headerText: headerMatch[1], hasDataSection };
}

function hasBinaryBytes(text: string): boolean {
  const sample = text.slice(0, 512);
  let control = 0;
  for (let i = 0; i < sample.length; i += 1) {
    const c = sample.charCodeAt(i);
    if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) control += 1;
  }
  return control > 0;
}

/** Decodes a STEP string body (without the quotes): '' -> ', \X2\…\X0\ UTF-16, \X\hh latin-1. */
export function decodeStepString(raw: string): string {
  let text = raw.replace(/''/g, "'");
  if (!text.includes('\\')) return text;
  text = text.replace(/\\X2\\([0-9A-Fa-f]*)\\X0\\/g, (_m, hex: string) => {
    let out = '';
    for (let i = 0; i + 4 <= hex.length; i += 4)
      out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return out;
  });
  text = text.replace(/\\X4\\([0-9A-Fa-f]*)\\X0\\/g, (_m, hex: string) => {
    let out = '';
    for (let i = 0; i + 8 <= hex.length; i += 8)
      out += String.fromCodePoint(parseInt(hex.slice(i, i + 8), 16));
    return out;
  });
  text = text.replace(/\\X\\([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return text
    .replace(/\\S\\(.)/g, (_m, ch: string) => String.fromCharCode(ch.charCodeAt(0) + 128))
    .replace(/\\\\/g, '\\');
}

/** Parses the inside of a parameter list, e.g. `'a',#3,(1.,2.),.T.,$` into values. */
export function parseParameters(text: string): StepValue[] {
  const parser = new ParameterParser(text);
  return parser.parseList(true);
}

class ParameterParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseList(topLevel: boolean): StepValue[] {
    const items: StepValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) return items;
      const ch = this.text[this.pos];
      if (ch === ')') {
        if (!topLevel) this.pos += 1;
        return items;
      }
      if (ch === ',') {
        this.pos += 1;
        continue;
      }
      items.push(this.parseValue());
    }
  }

  private parseValue(): StepValue {
    const text = this.text;
    const ch = text[this.pos];
    if (ch === "'") return { kind: 'string', value: decodeStepString(this.readQuoted("'")) };
    if (ch === '"') return { kind: 'binary', value: this.readQuoted('"') };
    if (ch === '(') {
      this.pos += 1;
      return { kind: 'list', items: this.parseList(false) };
    }
    if (ch === '$') {
      this.pos += 1;
      return { kind: 'null' };
    }
    if (ch === '*') {
      this.pos += 1;
      return { kind: 'derived' };
    }
    if (ch === '#') {
      const m = /^#(\d+)/.exec(text.slice(this.pos, this.pos + 24));
      this.pos += m ? m[0].length : 1;
      return { kind: 'ref', value: m ? Number(m[1]) : NaN };
    }
    if (ch === '.') {
      const end = text.indexOf('.', this.pos + 1);
      const value = text.slice(this.pos + 1, end < 0 ? text.length : end);
      this.pos = end < 0 ? text.length : end + 1;
      return { kind: 'enum', value };
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(this.pos, this.pos + 128));
    if (word) {
      this.pos += word[0].length;
      this.skipSpace();
      if (text[this.pos] === '(') {
        this.pos += 1;
        return { kind: 'typed', type: word[0].toUpperCase(), args: this.parseList(false) };
      }
      return { kind: 'enum', value: word[0] };
    }
    const num = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(this.pos, this.pos + 64));
    if (num) {
      this.pos += num[0].length;
      return { kind: 'number', value: Number(num[0]) };
    }
    this.pos += 1; // unknown character: skip it rather than loop forever
    return { kind: 'null' };
  }

  private readQuoted(quote: string): string {
    const text = this.text;
    let i = this.pos + 1;
    let out = '';
    for (;;) {
      const end = text.indexOf(quote, i);
      if (end < 0) {
        out += text.slice(i);
        this.pos = text.length;
        return out;
      }
      if (quote === "'" && text[end + 1] === "'") {
        out += text.slice(i, end + 2);
        i = end + 2;
        continue;
      }
      out += text.slice(i, end);
      this.pos = end + 1;
      return out;
    }
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos += 1;
  }
}

/** The string value of a parameter, or null. */
export function stringOf(value: StepValue | undefined): string | null {
  return value && value.kind === 'string' ? value.value : null;
}

/** The strings inside a list parameter (FILE_NAME author/organization), empty ones dropped. */
export function stringsOf(value: StepValue | undefined): string[] {
  if (!value) return [];
  if (value.kind === 'string') return value.value ? [value.value] : [];
  if (value.kind !== 'list') return [];
  return value.items.flatMap((item) => stringsOf(item));
}
