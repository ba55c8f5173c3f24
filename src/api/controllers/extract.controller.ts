/**
 * Synchronous per-format routes of the frontend: one small file in, its result in the answer.
 * Files above the synchronous limit get 413 pointing to /jobs.
 */
import { Controller, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { ExtractionFormat } from '../../extraction/entities/job-enums';
import { ROUTE_NOT_FOUND } from '../http/route-not-found';
import { SyncExtractionService } from '../services/sync-extraction.service';
import { multipartOptionsSchema } from '../services/format-options';
import { ExtractionResult } from '../dto/extraction-result.response';
import { ApiErrorResponses } from '../http/api-error-responses';

const SYNC_FORMATS: Record<string, ExtractionFormat> = {
  pdf: 'pdf',
  dxf: 'dxf',
  ifc: 'ifc',
  step: 'step',
  werk24: 'werk24',
};

@ApiTags('extract')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 413, 422, 500, 503, 504)
@UseGuards(JwtAuthGuard)
@Controller('api/v1/extraction')
export class ExtractController {
  constructor(private readonly extraction: SyncExtractionService) {}

  @Post('bom/extract')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary: 'Extract a bill of materials from xlsx / csv (options as multipart fields)',
  })
  @ApiBody({ schema: multipartOptionsSchema(['bom']) })
  @ApiOkResponse({ type: ExtractionResult, description: 'The result (SEED-NOTES §2: bom)' })
  async bom(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    return this.extraction.extract('bom', req, res);
  }

  @Post(':format')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiParam({ name: 'format', enum: Object.keys(SYNC_FORMATS) })
  @ApiOperation({
    summary: 'Extract one small file synchronously (options as multipart fields)',
    description: 'Each format reads its own options; fields of other formats are ignored.',
  })
  @ApiBody({ schema: multipartOptionsSchema(Object.values(SYNC_FORMATS)) })
  @ApiOkResponse({ type: ExtractionResult, description: "The format's result" })
  @ApiErrorResponses(404)
  async extractFormat(
    @Param('format') name: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    const format = SYNC_FORMATS[name];
    if (!format) throw ROUTE_NOT_FOUND(req);
    return this.extraction.extract(format, req, res);
  }
}
