/** Stream helpers shared by the drivers. */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileTooLargeError } from './storage.errors';

/**
 * Pass-through that counts bytes and hashes them (SHA-256), and fails with `FileTooLargeError`
 * before passing on the chunk that crosses `maxBytes`.
 */
export class MeteringStream extends Transform {
  private bytes = 0;
  private exceeded = false;
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes?: number) {
    super();
    assertValidMaxBytes(maxBytes);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.maxBytes !== undefined && this.bytes > this.maxBytes) {
      this.exceeded = true;
      callback(new FileTooLargeError(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  /** Bytes seen so far. (Not `size`: lib-storage would read that as the total length.) */
  get bytesSeen(): number {
    return this.bytes;
  }

  get tooLarge(): boolean {
    return this.exceeded;
  }

  /** Hex digest; call once, after the stream finished. */
  sha256(): string {
    return this.hash.digest('hex');
  }
}

export function assertValidMaxBytes(maxBytes: number | undefined): void {
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) {
    throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
  }
}

export function toBuffer(data: Uint8Array | string): Buffer {
  return typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function readToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Writes `stream` to `path`; removes the partial file when anything fails. */
export async function writeStreamToFile(stream: Readable, path: string): Promise<void> {
  try {
    await pipeline(stream, createWriteStream(path));
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
}

/** Destroys a source that `put` will not read (e.g. the key was refused), so no one waits on it. */
export function discardSource(source: unknown): void {
  if (source instanceof Readable) source.destroy();
}
