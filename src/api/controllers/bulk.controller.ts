/** Bulk extraction: many files in one request, one job per file, tracked under a parent. */
import {
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/current-user.decorator';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { InvalidTransitionError } from '../../extraction/jobs/job-errors';
import { ExtractionJob } from '../../extraction/entities/extraction-job.entity';
import { ExtractionJobService } from '../../extraction/jobs/extraction-job.service';
import { JobIntakeService } from '../services/job-intake.service';
import { JobIdPipe } from '../http/job-id.pipe';
import { toBulkResponse } from '../dto/job-wire';
import { BulkResponse } from '../dto/bulk.response';
import { CreateBulkUploadDto } from '../dto/create-job-upload.dto';
import { ApiErrorResponses } from '../http/api-error-responses';
import { idempotencyKey } from './jobs.controller';

const MAX_CHILDREN_LISTED = 10_000;

@ApiTags('bulk')
@ApiBearerAuth()
@ApiErrorResponses(401, 500)
@UseGuards(JwtAuthGuard)
@Controller('api/v1/extraction/bulk')
export class BulkController {
  constructor(
    private readonly jobs: ExtractionJobService,
    private readonly intake: JobIntakeService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Upload many files: one job per file, tracked under a bulk' })
  @ApiBody({ type: CreateBulkUploadDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'At most 200 characters' })
  @ApiAcceptedResponse({ type: BulkResponse, description: 'The bulk, one entry per file' })
  @ApiErrorResponses(400, 413, 429, 503)
  async create(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') key?: string,
  ): Promise<BulkResponse> {
    const { parent, children } = await this.intake.createBulk(req, res, user, idempotencyKey(key));
    return toBulkResponse(parent, children, { includeResults: false });
  }

  @Get(':id')
  @ApiOperation({ summary: 'The bulk with one entry per file, with results' })
  @ApiOkResponse({ type: BulkResponse })
  @ApiErrorResponses(404, 409)
  async get(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<BulkResponse> {
    const parent = await this.bulk(id, user);
    const children = await this.jobs.listChildren(id, {
      ownerId: user.id,
      pageSize: MAX_CHILDREN_LISTED,
    });
    return toBulkResponse(parent, children.items, { includeResults: true });
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry every failed file (400 "No failed jobs found" when none)' })
  @ApiOkResponse({ type: BulkResponse })
  @ApiErrorResponses(400, 404, 409)
  async retry(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<BulkResponse> {
    await this.bulk(id, user);
    const { parent } = await this.jobs.retryBulk(id, { ownerId: user.id });
    const children = await this.jobs.listChildren(id, {
      ownerId: user.id,
      pageSize: MAX_CHILDREN_LISTED,
    });
    return toBulkResponse(parent, children.items, { includeResults: false });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel the bulk and its unfinished files' })
  @ApiOkResponse({ type: BulkResponse })
  @ApiErrorResponses(404, 409)
  async cancel(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<BulkResponse> {
    await this.bulk(id, user);
    const parent = await this.jobs.cancel(id, user.id);
    const children = await this.jobs.listChildren(id, {
      ownerId: user.id,
      pageSize: MAX_CHILDREN_LISTED,
    });
    return toBulkResponse(parent, children.items, { includeResults: false });
  }

  private async bulk(id: string, user: AuthUser): Promise<ExtractionJob> {
    const job = await this.jobs.get(id, user.id);
    if (job.kind !== 'bulk')
      throw new InvalidTransitionError(
        id,
        'read as bulk',
        job.status,
        `Job ${id} is not a bulk job`,
      );
    return job;
  }
}
