/**
 * Jobs of the caller: create (multipart upload, or JSON naming an object in our storage), read,
 * list, cancel, retry, delete, result, and a Server-Sent Events stream of progress.
 */
import {
  Controller,
  Delete,
  Get,
  Headers,
  Inject,
  Logger,
  HttpCode,
  MessageEvent,
  Param,
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
  ApiConsumes,
  ApiExtension,
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/current-user.decorator';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { SETTLED_STATUSES } from '../../extraction/entities/job-enums';
import { ExtractionJobService } from '../../extraction/jobs/extraction-job.service';
import { ValidationFailedError } from '../http/api-errors';
import { JobIntakeService } from '../services/job-intake.service';
import { JobIdPipe } from '../http/job-id.pipe';
import { JobResultService } from '../services/job-result.service';
import { JobProgressStreamService } from '../services/job-progress-stream.service';
import { deleteStoredFiles, STORAGE_DRIVER, StorageDriver } from '../../storage';
import { ownerView, toJobResponse } from '../dto/job-wire';
import { JobListResponse, JobProgressEvent, JobResponse } from '../dto/job.response';
import { ExtractionResult } from '../dto/extraction-result.response';
import { CreateJobUploadDto } from '../dto/create-job-upload.dto';
import { CreateJobFromStorageDto } from '../dto/create-job-from-storage.dto';
import { ListJobsQuery } from '../dto/list-jobs.query';
import { RetryJobQuery } from '../dto/retry-job.query';
import { ApiErrorResponses } from '../http/api-error-responses';
import { REQUEST_BODY_BY_MEDIA_TYPE } from '../http/openapi-document';

const MAX_IDEMPOTENCY_KEY = 200;

/** The SSE media type; `x-event-data` is the schema of each event's data (OpenAPI 3.0 has none). */
const EVENT_STREAM = {
  schema: { type: 'string' },
  'x-event-data': { $ref: getSchemaPath(JobProgressEvent) },
};

export function idempotencyKey(header: string | undefined): string | null {
  if (header === undefined || header.trim() === '') return null;
  if (header.length > MAX_IDEMPOTENCY_KEY)
    throw new ValidationFailedError(
      `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY} characters`,
    );
  return header.trim();
}

@ApiTags('jobs')
@ApiBearerAuth()
@ApiErrorResponses(401, 500, 503)
@UseGuards(JwtAuthGuard)
@Controller('api/v1/extraction/jobs')
export class JobsController {
  private readonly logger = new Logger(JobsController.name);

  constructor(
    private readonly jobs: ExtractionJobService,
    private readonly intake: JobIntakeService,
    private readonly results: JobResultService,
    private readonly progress: JobProgressStreamService,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Create a job from an upload (multipart) or from an object in our storage (JSON)',
  })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiExtraModels(CreateJobUploadDto, CreateJobFromStorageDto, JobProgressEvent)
  @ApiExtension(REQUEST_BODY_BY_MEDIA_TYPE, {
    'multipart/form-data': getSchemaPath(CreateJobUploadDto),
    'application/json': getSchemaPath(CreateJobFromStorageDto),
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'At most 200 characters' })
  @ApiAcceptedResponse({
    type: JobResponse,
    description: 'The job (the same one for a repeated Idempotency-Key)',
  })
  @ApiErrorResponses(400, 404, 413, 422, 429, 503)
  async create(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') key?: string,
  ): Promise<JobResponse> {
    const idempotency = idempotencyKey(key);
    const { job } = req.is('multipart/form-data')
      ? await this.intake.createFromUpload(req, res, user, idempotency)
      : await this.intake.createFromStoredObject(req.body, user, idempotency);
    return toJobResponse(job);
  }

  @Get()
  @ApiOperation({ summary: "The caller's jobs, newest first" })
  @ApiOkResponse({ type: JobListResponse })
  @ApiErrorResponses(400)
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListJobsQuery,
  ): Promise<JobListResponse> {
    const result = await this.jobs.list({
      ownerId: user.id,
      status: query.status,
      format: query.format,
      kinds: ['single'],
      page: query.page ?? 1,
      pageSize: query.page_size ?? 20,
    });
    return {
      items: result.items.map(toJobResponse),
      total: result.total,
      page: result.page,
      page_size: result.pageSize,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'The job, with its result inline when small' })
  @ApiOkResponse({ type: JobResponse })
  @ApiErrorResponses(404)
  async get(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<JobResponse> {
    return toJobResponse(await this.jobs.get(id, user.id));
  }

  @Get(':id/result')
  @ApiOperation({
    summary: 'The full result, also when it was offloaded to storage',
    description:
      'Also the partial result of a job failed with EXTRACTION_UNSUCCESSFUL. `job_status` (and for a failed job `job_error_code`, `job_error_message`) sit beside the result fields; other jobs without a result answer 400 RESULT_NOT_READY.',
  })
  @ApiOkResponse({ type: ExtractionResult })
  @ApiErrorResponses(400, 404, 503)
  async result(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<Record<string, unknown>> {
    return this.results.fullResult(await this.jobs.get(id, user.id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel an active job; delete a finished one with its stored file' })
  @ApiNoContentResponse({ description: 'Cancelled or deleted' })
  @ApiErrorResponses(404, 409)
  async remove(@Param('id', JobIdPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    // A job being reprocessed is completed for its owner: deleted, not cancelled.
    const job = ownerView(await this.jobs.get(id, user.id));
    if ((SETTLED_STATUSES as readonly string[]).includes(job.status)) {
      const { files } = await this.jobs.delete(id, user.id);
      await deleteStoredFiles(this.storage, files, this.logger);
    } else {
      await this.jobs.cancel(id, user.id);
    }
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an active job' })
  @ApiOkResponse({ type: JobResponse })
  @ApiErrorResponses(404, 409)
  async cancel(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<JobResponse> {
    return toJobResponse(await this.jobs.cancel(id, user.id));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retry a failed job (400 "not in failed state", 400 "exhausted" without force)',
  })
  @ApiOkResponse({ type: JobResponse })
  @ApiErrorResponses(400, 404, 409)
  async retry(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Query() query: RetryJobQuery,
  ): Promise<JobResponse> {
    return toJobResponse(
      await this.jobs.retry(id, { ownerId: user.id, force: query.force === true }),
    );
  }

  @Sse(':id/events')
  @ApiOperation({
    summary:
      'Server-Sent Events: progress and status until the job is final (token also as ?access_token=)',
  })
  @ApiOkResponse({
    description:
      'Events `status` and `progress`; `data` is a JobProgressEvent as JSON. Ends when the job is final or the token expires',
    content: { 'text/event-stream': EVENT_STREAM },
  })
  @ApiErrorResponses(404, 429)
  async events(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<Observable<MessageEvent>> {
    await this.jobs.get(id, user.id); // 404 before the stream opens
    return this.progress.progressStream(id, user);
  }
}
