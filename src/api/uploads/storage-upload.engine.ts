/**
 * A multer storage engine that streams each uploaded file straight into our storage under a
 * server-made key (`uploads/<owner>/<job id>/<sanitised name>`), keeping its first bytes for the
 * signature check. Files with an extension we cannot read are drained, not stored, and reported as
 * refused. A client that disconnects mid-file fails the write, so the driver closes and removes its
 * partial object at once (busboy alone would leave the part stream open forever).
 */
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { randomUUID } from 'node:crypto';
import { Transform } from 'node:stream';
import { StorageDriver } from '../../storage';
import { buildObjectKey, sanitizeFilename } from '../../storage/object-key';
import { extensionOf, FORMAT_BY_EXTENSION } from './file-types';
import { UploadAbortedError } from './upload-aborted.error';

const HEAD_BYTES = 1024;

export interface StoredUpload {
  jobId: string;
  fieldname: string;
  originalName: string;
  filename: string;
  extension: string;
  key: string | null;
  fileUrl: string | null;
  size: number;
  sha256: string | null;
  head: Buffer;
  /** Set when the extension is not one we read: nothing was stored. */
  refused: boolean;
}

export class StorageUploadEngine implements StorageEngine {
  constructor(
    private readonly storage: StorageDriver,
    private readonly ownerId: string,
    private readonly maxBytes: number,
  ) {}

  _handleFile(
    req: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void,
  ): void {
    const filename = sanitizeFilename(file.originalname);
    const extension = extensionOf(filename);
    const jobId = randomUUID();
    const base = {
      jobId,
      fieldname: file.fieldname,
      originalName: file.originalname,
      filename,
      extension,
    };
    if (!FORMAT_BY_EXTENSION[extension]) {
      file.stream.resume();
      file.stream.once('end', () =>
        callback(
          null,
          upload({
            ...base,
            key: null,
            fileUrl: null,
            size: 0,
            sha256: null,
            head: Buffer.alloc(0),
            refused: true,
          }),
        ),
      );
      return;
    }
    const key = buildObjectKey({ ownerId: this.ownerId, jobId, filename });
    const chunks: Buffer[] = [];
    let headLength = 0;
    // Keeps the first bytes for the signature check while the stream passes through untouched.
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (headLength < HEAD_BYTES) {
          chunks.push(chunk.subarray(0, HEAD_BYTES - headLength));
          headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
        }
        done(null, chunk);
      },
    });
    file.stream.pipe(tap);
    const abandon = () => {
      if (!req.complete) tap.destroy(new UploadAbortedError());
    };
    req.once('close', abandon);
    this.storage
      .put(key, tap, { maxBytes: this.maxBytes })
      .finally(() => req.off('close', abandon))
      .then((stored) =>
        callback(
          null,
          upload({
            ...base,
            key,
            fileUrl: this.storage.urlFor(key),
            size: stored.size,
            sha256: stored.sha256,
            head: Buffer.concat(chunks),
            refused: false,
          }),
        ),
      )
      .catch((error: unknown) => {
        file.stream.resume();
        callback(error);
      });
  }

  _removeFile(
    _req: Request,
    file: Express.Multer.File,
    callback: (error: Error | null) => void,
  ): void {
    const key = (file as unknown as { upload?: StoredUpload }).upload?.key;
    if (!key) return callback(null);
    this.storage.delete(key).then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }
}

/** multer merges the info object into its file record; we keep ours under one property. */
function upload(stored: StoredUpload): Partial<Express.Multer.File> {
  return { upload: stored, size: stored.size } as unknown as Partial<Express.Multer.File>;
}

export function storedUpload(file: Express.Multer.File): StoredUpload {
  return (file as unknown as { upload: StoredUpload }).upload;
}
