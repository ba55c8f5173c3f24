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
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/current-user.decorator';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { JOB_STATUSES, JobStatus, SETTLED_STATUSES } from '../../extraction/entities/job-enums';
import { ExtractionJobService } from '../../extraction/jobs/extraction-job.service';
import { ValidationFailedError } from '../http/api-errors';
import { JobIntakeService, parseFormat } from '../services/job-intake.service';
import { JobIdPipe } from '../http/job-id.pipe';
import { JobResultService } from '../services/job-result.service';
import { JobProgressStreamService } from '../services/job-progress-stream.service';
import { deleteStoredFiles, STORAGE_DRIVER, StorageDriver } from '../../storage';
import { JobResponse, toJobResponse } from '../dto/job-wire';

const MAX_IDEMPOTENCY_KEY = 200;

export function idempotencyKey(header: string | undefined): string | null {
  if (header === undefined || header.trim() === '') return null;
  if (header.length > MAX_IDEMPOTENCY_KEY)
    throw new ValidationFailedError(
      `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY} characters`,
    );
  return header.trim();
}

function pageParam(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new ValidationFailedError(`"${name}" must be a whole number from 1 to ${max}`, {
      field: name,
      value,
    });
  return n;
}

@ApiTags('jobs')
@ApiBearerAuth()
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
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        file: { type: 'string', format: 'binary' },
        format: {
          type: 'string',
          enum: ['pdf', 'dxf', 'ifc', 'step', 'werk24', 'bom'],
          example: 'dxf',
        },
        target_table_id: { type: 'string', example: 'tbl_123' },
        options: { type: 'string', example: '{"extract_layers": true}' },
      },
    },
  })
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
  @ApiQuery({ name: 'status', required: false, enum: JOB_STATUSES })
  @ApiQuery({ name: 'format', required: false })
  @ApiQuery({ name: 'page', required: false, example: 1 })
  @ApiQuery({ name: 'page_size', required: false, example: 20 })
  async list(
    @CurrentUser() user: AuthUser,
    @Query('status') status?: string,
    @Query('format') format?: string,
    @Query('page') page?: string,
    @Query('page_size') pageSize?: string,
  ): Promise<{ items: JobResponse[]; total: number; page: number; page_size: number }> {
    if (status && !(JOB_STATUSES as readonly string[]).includes(status)) {
      throw new ValidationFailedError(`"status" must be one of ${JOB_STATUSES.join(', ')}`, {
        field: 'status',
        value: status,
      });
    }
    const result = await this.jobs.list({
      ownerId: user.id,
      status: (status || undefined) as JobStatus | undefined,
      format: parseFormat(format) ?? undefined,
      kinds: ['single'],
      page: pageParam(page, 'page', 1, 1_000_000),
      pageSize: pageParam(pageSize, 'page_size', 20, 100),
    });
    return {
      items: result.items.map(toJobResponse),
      total: result.total,
      page: result.page,
      page_size: result.pageSize,
    };
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The job, with its result inline when small' })
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
  async result(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<Record<string, unknown>> {
    return this.results.fullResult(await this.jobs.get(id, user.id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel an active job; delete a finished one with its stored file' })
  async remove(@Param('id', JobIdPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    const job = await this.jobs.get(id, user.id);
    if ((SETTLED_STATUSES as readonly string[]).includes(job.status)) {
      const { files } = await this.jobs.delete(id, user.id);
      await deleteStoredFiles(this.storage, files, this.logger);
    } else {
      await this.jobs.cancel(id, user.id);
    }
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<JobResponse> {
    return toJobResponse(await this.jobs.cancel(id, user.id));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiQuery({
    name: 'force',
    required: false,
    description: 'Retry even when retries are exhausted',
  })
  async retry(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Query('force') force?: string,
  ): Promise<JobResponse> {
    return toJobResponse(await this.jobs.retry(id, { ownerId: user.id, force: force === 'true' }));
  }

  @Sse(':id/events')
  @ApiOperation({
    summary:
      'Server-Sent Events: progress and status until the job is final (token also as ?access_token=)',
  })
  async events(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<Observable<MessageEvent>> {
    await this.jobs.get(id, user.id); // 404 before the stream opens
    return this.progress.progressStream(id, user.id);
  }
}
