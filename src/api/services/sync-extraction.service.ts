/**
 * Synchronous extraction of one small file for the per-format routes: the upload goes to a private
 * temporary folder, is checked against extension and signature, and runs through the extractor
 * thread pool (never the event loop; heap limit EXTRACTOR_MEMORY_MB per thread); the temporary
 * file is removed whatever happens.
 *
 * Bounded: at most `threads + SYNC_MAX_QUEUED` requests are admitted at once (uploading, waiting
 * for a thread or running); more are refused at once with 503 SYNC_QUEUE_FULL and Retry-After
 * instead of queueing without bound. A client that disconnects before its answer aborts its
 * extraction, so the thread is free for the next file.
 */
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { open } from 'node:fs/promises';
import { ExtractionFormat } from '../../extraction/entities/job-enums';
import { AppConfig } from '../../config/app-config';
import { ExtractorPool } from '../../extraction/processing/extractor-pool/extractor-pool';
import { SyncQueueFullError, UnsupportedFileTypeError } from '../http/api-errors';
import { ALLOWED_EXTENSIONS, extensionOf, FORMAT_BY_EXTENSION } from '../uploads/file-types';
import { UploadService } from '../uploads/upload.service';
import { optionsFromFields } from './format-options';
import { JobIntakeService } from './job-intake.service';

const HEAD_BYTES = 1024;

@Injectable()
export class SyncExtractionService {
  private admitted = 0;

  constructor(
    private readonly uploads: UploadService,
    private readonly intake: JobIntakeService,
    private readonly pool: ExtractorPool,
    private readonly config: AppConfig,
  ) {}

  /** Requests admitted at once: one per thread plus the configured queue. */
  get capacity(): number {
    return this.config.worker.threads + this.config.sync.maxQueued;
  }

  async extract(
    format: ExtractionFormat,
    req: Request,
    res: Response,
  ): Promise<Record<string, unknown>> {
    if (this.admitted >= this.capacity) throw new SyncQueueFullError(this.capacity);
    this.admitted += 1;
    // 'close' before the answer is written means the client went away.
    const disconnected = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) disconnected.abort();
    };
    res.on('close', onClose);
    try {
      return await this.extractAdmitted(format, req, res, disconnected.signal);
    } finally {
      res.off('close', onClose);
      this.admitted -= 1;
    }
  }

  private async extractAdmitted(
    format: ExtractionFormat,
    req: Request,
    res: Response,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const upload = await this.uploads.receiveToTemp(req, res);
    try {
      if (!FORMAT_BY_EXTENSION[extensionOf(upload.filename)])
        throw new UnsupportedFileTypeError(upload.filename, ALLOWED_EXTENSIONS);
      this.intake.checkFile(format, upload.filename, await readHead(upload.path));
      const result = await this.pool.run({
        format,
        filePath: upload.path,
        filename: upload.filename,
        options: optionsFromFields(format, upload.fields),
        signal,
      });
      return result as unknown as Record<string, unknown>;
    } finally {
      await upload.cleanup();
    }
  }
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
