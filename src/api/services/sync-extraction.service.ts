/**
 * Synchronous extraction of one small file for the per-format routes: the upload goes to a private
 * temporary folder, is checked against extension and signature, and runs through the extractor
 * thread pool (never the event loop); the temporary file is removed whatever happens.
 */
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { open } from 'node:fs/promises';
import { ExtractionFormat } from '../../extraction/entities/job-enums';
import { ExtractorPool } from '../../extraction/processing/extractor-pool/extractor-pool';
import { UnsupportedFileTypeError } from '../http/api-errors';
import { ALLOWED_EXTENSIONS, extensionOf, FORMAT_BY_EXTENSION } from '../uploads/file-types';
import { UploadService } from '../uploads/upload.service';
import { optionsFromFields } from './format-options';
import { JobIntakeService } from './job-intake.service';

const HEAD_BYTES = 1024;

@Injectable()
export class SyncExtractionService {
  constructor(
    private readonly uploads: UploadService,
    private readonly intake: JobIntakeService,
    private readonly pool: ExtractorPool,
  ) {}

  async extract(
    format: ExtractionFormat,
    req: Request,
    res: Response,
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
