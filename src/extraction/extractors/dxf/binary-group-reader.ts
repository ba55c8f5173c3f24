/**
 * Streaming reader of binary DXF ("AutoCAD Binary DXF\r\n\x1a\0" sentinel). Group codes are 2-byte
 * little-endian (R12 and older: 1 byte, 255 = 2-byte code follows); each value's encoding follows
 * from its code (types as in the DXF reference and ezdxf's binary loader). Same chunked reading and
 * lazy decoding as the ASCII reader, same interface for the scanner.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ExtractionError } from '../extraction-error';
import { GroupReader, internBytes } from './group-code-reader';
import {
  DEFAULT_CODE_PAGE_LABEL,
  TextDecoding,
  codePageDecoding,
  decodeBytes,
} from './text-decoding';

export const BINARY_DXF_SENTINEL = 'AutoCAD Binary DXF\r\n\x1a\x00';

enum Kind {
  Str,
  Double,
  Int16,
  Int32,
  Int64,
  Byte,
  Chunk,
}

function kindOf(c: number): Kind {
  if ((c >= 10 && c <= 59) || (c >= 110 && c <= 149) || (c >= 210 && c <= 239)) return Kind.Double;
  if ((c >= 460 && c <= 469) || (c >= 1010 && c <= 1059)) return Kind.Double;
  if ((c >= 60 && c <= 79) || (c >= 170 && c <= 179) || (c >= 270 && c <= 289)) return Kind.Int16;
  if ((c >= 370 && c <= 389) || (c >= 400 && c <= 409) || (c >= 1060 && c <= 1070))
    return Kind.Int16;
  if ((c >= 90 && c <= 99) || (c >= 420 && c <= 429) || (c >= 440 && c <= 459) || c === 1071) {
    return Kind.Int32;
  }
  if (c >= 160 && c <= 169) return Kind.Int64;
  if (c >= 290 && c <= 299) return Kind.Byte;
  if ((c >= 310 && c <= 319) || c === 1004) return Kind.Chunk;
  return Kind.Str;
}

export class BinaryGroupReader implements GroupReader {
  code = -1;
  groups = 0;
  endedMidPair = false;
  decoding: TextDecoding = codePageDecoding(DEFAULT_CODE_PAGE_LABEL);

  private buf: Buffer;
  private len = 0;
  private pos = 0;
  private fileOffset: number;
  private eof = false;
  private fd: number | null;
  private readonly oneByteCodes: boolean;
  private kind = Kind.Str;
  private vs = 0;
  private ve = 0;
  private value = 0;

  constructor(
    filePath: string,
    readonly fileSize: number,
    opts: { r12: boolean; chunkBytes?: number },
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(4096, Math.min(opts.chunkBytes ?? 1 << 20, fileSize)));
    this.fileOffset = BINARY_DXF_SENTINEL.length;
    this.oneByteCodes = opts.r12;
    this.fd = openSync(filePath, 'r');
  }

  get bytesRead(): number {
    return this.fileOffset - (this.len - this.pos);
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  next(): boolean {
    if (!this.ensure(1)) return false;
    const b = this.buf;
    let code: number;
    if (this.oneByteCodes) {
      code = b[this.pos];
      if (code === 255) {
        if (!this.ensure(3)) return this.midPair();
        code = b[this.pos + 1] | (b[this.pos + 2] << 8);
        this.pos += 3;
      } else this.pos += 1;
    } else {
      if (!this.ensure(2)) return this.midPair();
      code = this.buf[this.pos] | (this.buf[this.pos + 1] << 8);
      this.pos += 2;
    }
    this.code = code;
    this.kind = kindOf(code);
    if (!this.readValue()) return this.midPair();
    this.groups++;
    return true;
  }

  private readValue(): boolean {
    switch (this.kind) {
      case Kind.Double:
        return this.fixed(8, () => this.buf.readDoubleLE(this.pos));
      case Kind.Int16:
        return this.fixed(2, () => this.buf.readInt16LE(this.pos));
      case Kind.Int32:
        return this.fixed(4, () => this.buf.readInt32LE(this.pos));
      case Kind.Int64:
        return this.fixed(8, () => Number(this.buf.readBigInt64LE(this.pos)));
      case Kind.Byte:
        return this.fixed(1, () => this.buf[this.pos]);
      case Kind.Chunk: {
        if (!this.ensure(1)) return false;
        const n = this.buf[this.pos];
        if (!this.ensure(1 + n)) return false;
        this.vs = this.pos + 1;
        this.ve = this.pos + 1 + n;
        this.pos = this.ve;
        return true;
      }
      default:
        return this.string();
    }
  }

  private fixed(n: number, read: () => number): boolean {
    if (!this.ensure(n)) return false;
    this.value = read();
    this.pos += n;
    return true;
  }

  private string(): boolean {
    let from = this.pos;
    for (;;) {
      const z = this.buf.indexOf(0, from);
      if (z >= 0 && z < this.len) {
        this.vs = this.pos;
        this.ve = z;
        this.pos = z + 1;
        return true;
      }
      const scanned = this.len - this.pos;
      if (!this.refill()) return false;
      from = this.pos + scanned;
    }
  }

  private midPair(): boolean {
    this.endedMidPair = true;
    this.pos = this.len;
    return false;
  }

  /** Makes `n` bytes available from `pos`; false at end of file. */
  private ensure(n: number): boolean {
    while (this.len - this.pos < n) {
      if (!this.refill()) return false;
    }
    return true;
  }

  /** Reads more data, keeping the unread tail; grows the buffer for long strings. */
  private refill(): boolean {
    if (this.eof || this.fd === null) return false;
    const keep = this.len - this.pos;
    if (this.pos === 0 && this.len === this.buf.length) {
      if (this.buf.length >= 16 << 20) {
        throw new ExtractionError(
          'CORRUPT_FILE',
          'Binary DXF string longer than 16 MB: the file is damaged',
        );
      }
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
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
      return false;
    }
    return true;
  }

  private isText(): boolean {
    return this.kind === Kind.Str || this.kind === Kind.Chunk;
  }

  str(): string {
    if (this.kind === Kind.Chunk) return this.buf.toString('hex', this.vs, this.ve).toUpperCase();
    if (this.kind === Kind.Str) return decodeBytes(this.buf, this.vs, this.ve, this.decoding);
    return String(this.value);
  }

  num(): number {
    return this.isText() ? parseFloat(this.str()) : this.value;
  }

  int(): number {
    return Math.trunc(this.num());
  }

  valueIs(ascii: string): boolean {
    if (this.kind !== Kind.Str) return this.str() === ascii;
    if (this.ve - this.vs !== ascii.length) return false;
    for (let i = 0; i < ascii.length; i++) {
      if (this.buf[this.vs + i] !== ascii.charCodeAt(i)) return false;
    }
    return true;
  }

  internStr(): string {
    if (this.kind !== Kind.Str) return this.str();
    return internBytes(this.buf, this.vs, this.ve, this.decoding);
  }
}

/** Whether a binary DXF uses R12 one-byte group codes (version ≤ AC1009), as ezdxf decides it. */
export function binaryUsesOneByteCodes(head: Buffer): boolean {
  const at = head.indexOf('$ACADVER', 22, 'latin1');
  if (at < 0) return true;
  let start = at + 10;
  if (head[start] !== 65) start += 1; // 'A' follows directly with 2-byte codes
  const version = head.toString('latin1', start, start + 6);
  return !(version >= 'AC1012');
}
