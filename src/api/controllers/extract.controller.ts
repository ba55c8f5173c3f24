/**
 * Synchronous per-format routes of the frontend: the file goes to a private temporary folder,
 * through the extractor thread pool (never the event loop), and the result comes back in the
 * answer. Files above the synchronous limit get 413 pointing to /jobs.
 */
import { Controller, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { open } from 'node:fs/promises';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { ExtractionFormat } from '../../extraction/entities/job-enums';
import { ExtractorPool } from '../../extraction/processing/extractor-pool/extractor-pool';
import { ROUTE_NOT_FOUND } from '../http/route-not-found';
import { UnsupportedFileTypeError } from '../http/api-errors';
import { JobIntakeService } from '../services/job-intake.service';
import { ALLOWED_EXTENSIONS, extensionOf, FORMAT_BY_EXTENSION } from '../uploads/file-types';
import { UploadService } from '../uploads/upload.service';
import { optionsFromFields } from '../services/format-options';

const SYNC_FORMATS: Record<string, ExtractionFormat> = {
  pdf: 'pdf',
  dxf: 'dxf',
  ifc: 'ifc',
  step: 'step',
  werk24: 'werk24',
};

@ApiTags('extract')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('api/v1/extraction')
export class ExtractController {
  constructor(
    private readonly uploads: UploadService,
    private readonly intake: JobIntakeService,
    private readonly pool: ExtractorPool,
  ) {}

  @Post('bom/extract')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary: 'Extract a bill of materials from xlsx / csv (options as multipart fields)',
  })
  async bom(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    return this.extract('bom', req, res);
  }

  @Post(':format')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiParam({ name: 'format', enum: Object.keys(SYNC_FORMATS) })
  @ApiOperation({ summary: 'Extract one small file synchronously (options as multipart fields)' })
  async extractFormat(
    @Param('format') name: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const format = SYNC_FORMATS[name];
    if (!format) throw ROUTE_NOT_FOUND(req);
    return this.extract(format, req, res);
  }

  private async extract(
    format: ExtractionFormat,
    req: Request,
    res: Response,
  ): Promise<Record<string, unknown>> {
    const upload = await this.uploads.receiveToTemp(req, res);
    try {
      if (!FORMAT_BY_EXTENSION[extensionOf(upload.filename)])
        throw new UnsupportedFileTypeError(upload.filename, ALLOWED_EXTENSIONS);
      this.intake.checkFile(format, upload.filename, await readHead(upload.path));
      const options = optionsFromFields(format, upload.fields);
      return (await this.pool.run({
        format,
        filePath: upload.path,
        filename: upload.filename,
        options,
      })) as unknown as Record<string, unknown>;
    } finally {
      await upload.cleanup();
    }
  }
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buffer, 0, 1024, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
