/**
 * Receives multipart uploads without holding files in memory: into our storage for jobs and bulks,
 * into a temporary folder for the synchronous per-format routes. A declared Content-Length over
 * the limit is refused before any of the body is read.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { STORAGE_DRIVER, StorageDriver } from '../../storage';
import { sanitizeFilename } from '../../storage/object-key';
import { PayloadTooLargeError, ValidationFailedError } from '../http/api-errors';
import { UploadAbortedError } from './upload-aborted.error';
import { StorageUploadEngine, StoredUpload, storedUpload } from './storage-upload.engine';

/** Room for multipart boundaries and text fields on top of the file bytes. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export interface ReceivedUploads {
  files: StoredUpload[];
  fields: Record<string, string>;
}

export interface TempUpload {
  path: string;
  filename: string;
  size: number;
  fields: Record<string, string>;
  cleanup(): Promise<void>;
}

@Injectable()
export class UploadService {
  constructor(
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly config: AppConfig,
  ) {}

  /** One `file` (or many `files`) streamed into storage under keys of the caller. */
  async receiveToStorage(
    req: Request,
    res: Response,
    opts: { ownerId: string; field: 'file' | 'files'; maxFiles?: number },
  ): Promise<ReceivedUploads> {
    const maxBytes = this.config.http.maxUploadBytes;
    const maxFiles =
      opts.field === 'file' ? 1 : (opts.maxFiles ?? this.config.fairness.bulkMaxFiles);
    this.refuseDeclaredOversize(req, maxBytes * maxFiles);
    const engine = new StorageUploadEngine(this.storage, opts.ownerId, maxBytes);
    // multer truncates one byte past the limit so the storage put sees the excess and refuses it.
    const upload = multer(
      utf8Names({
        storage: engine,
        limits: { fileSize: maxBytes + 1, files: maxFiles, ...FIELD_LIMITS },
      }),
    );
    const middleware =
      opts.field === 'file' ? upload.single('file') : upload.array('files', maxFiles);
    await run(middleware, req, res).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'LIMIT_FILE_COUNT') {
        throw new ValidationFailedError(
          `A bulk takes at most ${maxFiles} files (BULK_MAX_FILES); split the upload`,
          { field: 'files', max_files: maxFiles },
        );
      }
      throw error;
    });
    const raw =
      opts.field === 'file'
        ? req.file
          ? [req.file]
          : []
        : ((req.files as Express.Multer.File[] | undefined) ?? []);
    return { files: raw.map(storedUpload), fields: (req.body ?? {}) as Record<string, string> };
  }

  /** One `file` written to a private temporary folder, for synchronous extraction. */
  async receiveToTemp(req: Request, res: Response): Promise<TempUpload> {
    const maxBytes = this.config.http.syncMaxBytes;
    const hint = 'larger files go through POST /api/v1/extraction/jobs';
    this.refuseDeclaredOversize(req, maxBytes, hint);
    const dir = await mkdtemp(join(tmpdir(), 'extraction-sync-'));
    const cleanup = () => rm(dir, { recursive: true, force: true });
    const upload = multer(
      utf8Names({
        storage: multer.diskStorage({
          destination: dir,
          filename: (_req, file, cb) => cb(null, sanitizeFilename(file.originalname)),
        }),
        limits: { fileSize: maxBytes, files: 1, ...FIELD_LIMITS },
      }),
    );
    try {
      await run(upload.single('file'), req, res);
    } catch (error) {
      await cleanup();
      if ((error as { code?: string }).code === 'LIMIT_FILE_SIZE')
        throw new PayloadTooLargeError(maxBytes, hint);
      throw error;
    }
    if (!req.file) {
      await cleanup();
      throw new ValidationFailedError('The multipart field "file" is required', { field: 'file' });
    }
    return {
      path: req.file.path,
      filename: req.file.filename,
      size: req.file.size,
      fields: (req.body ?? {}) as Record<string, string>,
      cleanup,
    };
  }

  /** Removes stored uploads again (a request refused after its files arrived). */
  async discard(files: StoredUpload[]): Promise<void> {
    await Promise.all(
      files.filter((f) => f.key).map((f) => this.storage.delete(f.key!).catch(() => undefined)),
    );
  }

  private refuseDeclaredOversize(req: Request, maxBytes: number, hint?: string): void {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD_BYTES) {
      req.resume(); // drain nothing into memory; let the client see the answer
      throw new PayloadTooLargeError(maxBytes, hint);
    }
  }
}

/** Browsers send UTF-8 file names; multer reads them as latin1 unless told (option missing from its types). */
function utf8Names(options: multer.Options): multer.Options {
  return { ...options, defParamCharset: 'utf8' } as multer.Options;
}

/**
 * Text fields are buffered in memory, so they get what the routes need and no more: the forms have
 * about ten fields, and `options` (the largest) is capped at 64 KB.
 */
export const FIELD_LIMITS = { fields: 30, fieldSize: 64 * 1024, fieldNameSize: 100 };

/** busboy's messages for a body that is not valid multipart (e.g. a NUL in a part header). */
const MALFORMED_MULTIPART = /^(Malformed|Unexpected end of|Multipart: )/;

function run(
  middleware: (req: Request, res: Response, next: (error?: unknown) => void) => void,
  req: Request,
  res: Response,
): Promise<void> {
  return new Promise((resolve, reject) =>
    middleware(req, res, (error?: unknown) => {
      if (!error) return resolve();
      // multer's own report of a client that hung up mid-body (nobody reads the answer).
      if (error instanceof Error && error.message === 'Request aborted') {
        return reject(new UploadAbortedError());
      }
      if (error instanceof Error && MALFORMED_MULTIPART.test(error.message)) {
        return reject(new ValidationFailedError(`Malformed multipart body: ${error.message}`));
      }
      reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
    }),
  );
}
