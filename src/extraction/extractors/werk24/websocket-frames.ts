/**
 * RFC 6455 framing, just enough for Werk24's JSON text messages. Node 20 has no global WebSocket
 * (it is experimental behind a flag until Node 22) and the project adds no dependency for it.
 */
import { createHash, randomBytes } from 'node:crypto';

export const OPCODES = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Werk24 answers are JSON, a few MB at most; anything larger is a protocol error. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

/** One frame; clients must mask, servers must not. */
export function encodeFrame(opcode: number, payload: Buffer, mask: boolean): Buffer {
  const length = payload.length;
  const extended = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + extended + (mask ? 4 : 0));
  header[0] = 0x80 | opcode;
  header[1] = (mask ? 0x80 : 0) | (length < 126 ? length : length < 65536 ? 126 : 127);
  if (extended === 2) header.writeUInt16BE(length, 2);
  if (extended === 8) header.writeBigUInt64BE(BigInt(length), 2);
  if (!mask) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  key.copy(header, 2 + extended);
  const masked = Buffer.alloc(length);
  for (let i = 0; i < length; i++) masked[i] = payload[i] ^ key[i & 3];
  return Buffer.concat([header, masked]);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Accumulates bytes and yields complete frames. */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  private next(): Frame | null {
    const buf = this.buffer;
    if (buf.length < 2) return null;
    const masked = (buf[1] & 0x80) !== 0;
    let length = buf[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buf.length < 4) return null;
      length = buf.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buf.length < 10) return null;
      const big = buf.readBigUInt64BE(2);
      if (big > BigInt(MAX_MESSAGE_BYTES))
        throw new Error(`WebSocket frame of ${big} bytes is too large`);
      length = Number(big);
      offset = 10;
    }
    if (length > MAX_MESSAGE_BYTES)
      throw new Error(`WebSocket frame of ${length} bytes is too large`);
    const maskBytes = masked ? 4 : 0;
    if (buf.length < offset + maskBytes + length) return null;
    let payload = buf.subarray(offset + maskBytes, offset + maskBytes + length);
    if (masked) {
      const key = buf.subarray(offset, offset + 4);
      payload = Buffer.from(payload.map((byte, i) => byte ^ key[i & 3]));
    }
    this.buffer = buf.subarray(offset + maskBytes + length);
    return { fin: (buf[0] & 0x80) !== 0, opcode: buf[0] & 0x0f, payload: Buffer.from(payload) };
  }
}

export function newClientKey(): string {
  return randomBytes(16).toString('base64');
}
