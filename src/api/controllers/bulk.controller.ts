/** Bulk extraction: many files in one request, one job per file, tracked under a parent. */
import {
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  MessageEvent,
  Post,
  Query,
  Req,
  Res,
  Sse,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Observable } from 'rxjs';
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
import { BulkProgressEvent, BulkResponse } from '../dto/bulk.response';
import { BulkStatusQuery, DEFAULT_FILES_PAGE_SIZE } from '../dto/bulk-status.query';
import { BulkProgressStreamService } from '../services/bulk-progress-stream.service';
import { CreateBulkUploadDto } from '../dto/create-job-upload.dto';
import { ApiErrorResponses } from '../http/api-error-responses';
import { idempotencyKey } from './jobs.controller';

const MAX_CHILDREN_LISTED = 10_000;

/** The SSE media type; `x-event-data` is the schema of each event's data (as for job events). */
const BULK_EVENT_STREAM = {
  schema: { type: 'string' },
  'x-event-data': { $ref: getSchemaPath(BulkProgressEvent) },
};

@ApiTags('bulk')
@ApiBearerAuth()
@ApiErrorResponses(401, 500, 503)
@UseGuards(JwtAuthGuard)
@Controller('api/v1/extraction/bulk')
export class BulkController {
  constructor(
    private readonly jobs: ExtractionJobService,
    private readonly intake: JobIntakeService,
    private readonly progress: BulkProgressStreamService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Upload many files: one job per file, tracked under a bulk' })
  @ApiBody({ type: CreateBulkUploadDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'At most 200 characters' })
  @ApiAcceptedResponse({ type: BulkResponse, description: 'The bulk, one entry per file' })
  @ApiErrorResponses(400, 413, 422, 429, 503)
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
  @ApiOperation({
    summary:
      'The bulk: counters and one page of files (without results unless include_results=true)',
  })
  @ApiOkResponse({ type: BulkResponse })
  @ApiErrorResponses(400, 404, 409)
  async get(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Query() query: BulkStatusQuery,
  ): Promise<BulkResponse> {
    const parent = await this.bulk(id, user);
    const page = query.files_page ?? 1;
    const pageSize = query.files_page_size ?? DEFAULT_FILES_PAGE_SIZE;
    const children = await this.jobs.listChildren(id, {
      ownerId: user.id,
      status: query.files_status,
      page,
      pageSize,
      withoutResults: query.include_results !== true,
    });
    return toBulkResponse(parent, children.items, {
      includeResults: query.include_results === true,
      page: { page, pageSize, total: children.total, status: query.files_status ?? null },
    });
  }

  @Sse(':id/events')
  @ApiExtraModels(BulkProgressEvent)
  @ApiOperation({
    summary:
      'Server-Sent Events: the bulk counters when they change, at most 2 per second, until the bulk is final (token also as ?access_token=)',
  })
  @ApiOkResponse({
    description:
      'Events `status` and `progress`; `data` is a BulkProgressEvent as JSON. Ends when the bulk is final',
    content: { 'text/event-stream': BULK_EVENT_STREAM },
  })
  @ApiErrorResponses(404, 409)
  async events(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<Observable<MessageEvent>> {
    await this.bulk(id, user); // 404 / 409 before the stream opens
    return this.progress.stream(id, user.id);
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
      withoutResults: true,
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
      withoutResults: true,
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
