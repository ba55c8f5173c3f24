/**
 * Streaming reader of ASCII DXF group-code pairs. Reads the file in fixed chunks with readSync and
 * never builds the whole text: values stay as byte ranges in the chunk until a caller asks for them
 * (`str()`, `num()`, `int()`), so uninteresting groups cost one pass over their bytes and nothing more.
 * Strings are decoded with the drawing's encoding (see text-decoding.ts) and are fresh strings, so
 * nothing retained keeps a chunk alive.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ExtractionError } from '../extraction-error';
import {
  DEFAULT_CODE_PAGE_LABEL,
  TextDecoding,
  codePageDecoding,
  decodeBytes,
} from './text-decoding';

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;

/**
 * Intern cache shared by all readers of a thread (entity types, header variable and layer names
 * repeat across files too). It only maps bytes to an equal string, so sharing is safe.
 */
const INTERN = new Array<string | undefined>(1024);

/** An equal cached string for short ASCII byte ranges, else a freshly decoded one. */
export function internBytes(b: Buffer, s: number, e: number, decoding: TextDecoding): string {
  const n = e - s;
  if (n > 48) return decodeBytes(b, s, e, decoding);
  let h = n;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c >= 0x80) return decodeBytes(b, s, e, decoding);
    h = (Math.imul(h, 31) + c) | 0;
  }
  const slot = h & 1023;
  const cached = INTERN[slot];
  if (cached !== undefined && cached.length === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (cached.charCodeAt(i) !== b[s + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  const fresh = b.toString('latin1', s, e);
  INTERN[slot] = fresh;
  return fresh;
}

/** What the scanner needs from a reader (ASCII or binary DXF). */
export interface GroupReader {
  code: number;
  groups: number;
  endedMidPair: boolean;
  decoding: TextDecoding;
  readonly bytesRead: number;
  readonly fileSize: number;
  next(): boolean;
  str(): string;
  num(): number;
  int(): number;
  valueIs(ascii: string): boolean;
  internStr(): string;
  close(): void;
}

export interface GroupReaderOptions {
  chunkBytes?: number;
  /** Longest line accepted; DXF strings are at most a few KB, so anything huge is not DXF. */
  maxLineBytes?: number;
  /** Bytes to skip at the start (a UTF-8 byte-order mark). */
  startOffset?: number;
  /** Lines end with a lone CR instead of LF / CR LF. */
  crLineEnds?: boolean;
}

export class AsciiGroupReader implements GroupReader {
  /** Group code of the current pair. */
  code = -1;
  /** Number of pairs read so far (line number of the code line is 2 * groups - 1). */
  groups = 0;
  /** True when the file ended inside a pair (a code line without its value). */
  endedMidPair = false;
  /** Until the header says otherwise: UTF-8 where valid, else windows-1252. */
  decoding: TextDecoding = codePageDecoding(DEFAULT_CODE_PAGE_LABEL);

  private buf: Buffer;
  private len = 0;
  private pos = 0;
  private vs = 0;
  private ve = 0;
  private fileOffset: number;
  private eof = false;
  private fd: number | null;
  private readonly maxLine: number;
  /** The byte that ends a line: LF (a CR before it is trimmed like a trailing space), or CR. */
  private readonly eol: number;

  constructor(
    filePath: string,
    readonly fileSize: number,
    opts: GroupReaderOptions = {},
  ) {
    // Small files get a buffer of their own size: no 1 MB allocation per tiny drawing.
    const chunk = opts.chunkBytes ?? 1 << 20;
    this.buf = Buffer.allocUnsafe(Math.max(4096, Math.min(chunk, fileSize + 16)));
    this.maxLine = opts.maxLineBytes ?? 16 << 20;
    this.fileOffset = opts.startOffset ?? 0;
    this.eol = opts.crLineEnds ? CR : NL;
    this.fd = openSync(filePath, 'r');
  }

  /** Bytes of the file consumed so far (for progress). */
  get bytesRead(): number {
    return this.fileOffset - (this.len - this.pos);
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  /** Advances to the next pair; false at the end of the input. */
  next(): boolean {
    for (;;) {
      if (this.scanPair()) return true;
      if (this.eof) return this.finishTail();
      this.refill();
    }
  }

  /** The value as a decoded, trimmed string. */
  str(): string {
    let s = this.vs;
    let e = this.ve;
    const b = this.buf;
    while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
    while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB || b[e - 1] === CR)) e--;
    return decodeBytes(b, s, e, this.decoding);
  }

  /**
   * The value as a number (NaN when it is not one). Plain decimals of up to 15 digits are parsed
   * from the bytes as one exact integer divided by a power of ten (one correctly rounded operation,
   * so the result equals parseFloat's); anything else goes through parseFloat.
   */
  num(): number {
    const b = this.buf;
    let s = this.vs;
    let e = this.ve;
    while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
    while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB || b[e - 1] === CR)) e--;
    let i = s;
    let neg = false;
    if (b[i] === MINUS) {
      neg = true;
      i++;
    } else if (b[i] === PLUS) i++;
    let mant = 0;
    let digits = 0;
    let scale = 1;
    while (i < e) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
      digits++;
      i++;
    }
    if (i < e && b[i] === DOT) {
      i++;
      while (i < e) {
        const d = b[i] - 48;
        if (d < 0 || d > 9) break;
        mant = mant * 10 + d;
        scale *= 10;
        digits++;
        i++;
      }
    }
    if (i !== e || digits === 0 || digits > 15) return parseFloat(b.toString('latin1', s, e));
    const v = scale === 1 ? mant : mant / scale;
    return neg ? -v : v;
  }

  int(): number {
    return Math.trunc(this.num());
  }

  /**
   * The value as a string through a small cache: entity types, layer and block names repeat
   * millions of times in a large file, and an equal cached string is returned without allocating.
   */
  internStr(): string {
    const b = this.buf;
    let s = this.vs;
    let e = this.ve;
    while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
    while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB || b[e - 1] === CR)) e--;
    return internBytes(b, s, e, this.decoding);
  }

  /** Compares the trimmed value with an ASCII literal without allocating. */
  valueIs(ascii: string): boolean {
    let s = this.vs;
    let e = this.ve;
    const b = this.buf;
    while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
    while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB || b[e - 1] === CR)) e--;
    if (e - s !== ascii.length) return false;
    for (let i = 0; i < ascii.length; i++) {
      if (b[s + i] !== ascii.charCodeAt(i)) return false;
    }
    return true;
  }

  /** Finds a complete code line and value line from `pos`; parses the code. */
  private scanPair(): boolean {
    const b = this.buf;
    const len = this.len;
    let p = this.pos;
    const lineStart = p;
    const eol = this.eol;
    while (p < len && b[p] !== eol) p++;
    if (p >= len) return false;
    const codeEnd = p;
    const vs = p + 1;
    p = vs;
    while (p < len && b[p] !== eol) p++;
    if (p >= len) return false;
    this.code = parseCode(b, lineStart, codeEnd, this.groups);
    this.vs = vs;
    this.ve = p;
    this.pos = p + 1;
    this.groups++;
    return true;
  }

  /** At end of file: accept a last value line without its newline. */
  private finishTail(): boolean {
    if (this.pos >= this.len) return false;
    const b = this.buf;
    let p = this.pos;
    while (p < this.len && b[p] !== this.eol) p++;
    if (p >= this.len) {
      // Only a code line (or garbage) left.
      if (!isBlank(b, this.pos, this.len)) this.endedMidPair = true;
      this.pos = this.len;
      return false;
    }
    const codeEnd = p;
    this.code = parseCode(b, this.pos, codeEnd, this.groups);
    this.vs = codeEnd + 1;
    this.ve = this.len;
    this.pos = this.len;
    this.groups++;
    return true;
  }

  private refill(): void {
    if (this.fd === null) {
      this.eof = true;
      return;
    }
    const keep = this.len - this.pos;
    if (this.pos === 0 && this.len === this.buf.length) {
      if (this.buf.length >= this.maxLine) {
        throw new ExtractionError(
          'CORRUPT_FILE',
          `Line longer than ${this.maxLine >> 20} MB near byte ${this.fileOffset}: not a DXF text file`,
        );
      }
      const bigger = Buffer.allocUnsafe(Math.min(this.buf.length * 2, this.maxLine));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    } else if (keep > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.len);
    }
    this.len = keep;
    this.pos = 0;
    const n = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, this.fileOffset);
    this.fileOffset += n;
    this.len += n;
    if (n === 0) {
      this.eof = true;
      this.close();
    }
  }
}

function isBlank(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c !== SPACE && c !== TAB && c !== CR && c !== NL) return false;
  }
  return true;
}

function parseCode(b: Buffer, s: number, e: number, groups: number): number {
  while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
  while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB || b[e - 1] === CR)) e--;
  let neg = false;
  if (s < e && b[s] === MINUS) {
    neg = true;
    s++;
  }
  if (s >= e || e - s > 6) throw badCode(b, s, e, groups);
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) throw badCode(b, s, e, groups);
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

function badCode(b: Buffer, s: number, e: number, groups: number): ExtractionError {
  const shown = b.toString('latin1', s, Math.min(e, s + 20)).replace(/[^\x20-\x7e]/g, '?');
  return new ExtractionError(
    'CORRUPT_FILE',
    `Invalid DXF group code "${shown}" at line ${groups * 2 + 1}: the file is damaged or not a DXF text file`,
  );
}
