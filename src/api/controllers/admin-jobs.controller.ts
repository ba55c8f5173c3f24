/** Operator routes, superuser only. Declared before JobsController so /jobs/stats is not /jobs/:id. */
import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { SuperuserGuard } from '../../auth/superuser.guard';
import { AppConfig } from '../../config/app-config';
import { ExtractionJobService } from '../../extraction/jobs/extraction-job.service';
import { JobIdPipe } from '../http/job-id.pipe';
import { deleteStoredFiles, STORAGE_DRIVER, StorageDriver } from '../../storage';
import { toJobResponse } from '../dto/job-wire';
import { JobResponse } from '../dto/job.response';
import {
  CleanupJobsResponse,
  JobStatsResponse,
  StuckJobsResponse,
} from '../dto/admin-jobs.response';
import { CleanupJobsQuery, StuckJobsQuery } from '../dto/admin-jobs.query';
import { ApiErrorResponses } from '../http/api-error-responses';
import { ReprocessJobsQuery, ReprocessJobsResponse } from '../dto/reprocess-jobs.dto';

@ApiTags('admin')
@ApiBearerAuth()
@ApiErrorResponses(401, 403, 500)
@UseGuards(JwtAuthGuard, SuperuserGuard)
@Controller('api/v1/extraction/jobs')
export class AdminJobsController {
  private readonly logger = new Logger(AdminJobsController.name);

  constructor(
    private readonly jobs: ExtractionJobService,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly config: AppConfig,
  ) {}

  @Get('stats')
  @ApiOperation({ summary: 'Counts of all jobs by status, and how many retries are due' })
  @ApiOkResponse({ type: JobStatsResponse })
  async stats(): Promise<JobStatsResponse> {
    const stats = await this.jobs.stats();
    return { total: stats.total, by_status: stats.byStatus, retryable: stats.retryable };
  }

  @Get('stuck')
  @ApiOperation({ summary: 'Jobs processing for longer than timeout_minutes' })
  @ApiOkResponse({ type: StuckJobsResponse })
  @ApiErrorResponses(400)
  async stuck(@Query() query: StuckJobsQuery): Promise<StuckJobsResponse> {
    const minutes = query.timeout_minutes ?? this.config.sweep.stuckTimeoutMinutes;
    return {
      items: (await this.jobs.findStuck(minutes)).map(toJobResponse),
      timeout_minutes: minutes,
    };
  }

  @Post('reprocess')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run matching completed jobs again (e.g. made by an older extractor version)',
  })
  @ApiOkResponse({ type: ReprocessJobsResponse })
  @ApiErrorResponses(400)
  async reprocess(@Query() query: ReprocessJobsQuery): Promise<ReprocessJobsResponse> {
    const outcome = await this.jobs.reprocess(
      {
        format: query.format,
        extractorVersionLt: query.extractor_version_lt,
        completedBefore: query.completed_before,
        ownerId: query.owner_id,
        dryRun: query.dry_run === true,
      },
      query.limit ?? 1000,
    );
    return { dry_run: outcome.dryRun, matched: outcome.matched, requeued: outcome.requeued };
  }

  @Post('cleanup')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete settled jobs older than older_than_days, with their files' })
  @ApiOkResponse({ type: CleanupJobsResponse })
  @ApiErrorResponses(400)
  async cleanup(@Query() query: CleanupJobsQuery): Promise<CleanupJobsResponse> {
    const olderThanDays = query.older_than_days ?? this.config.sweep.retentionDays;
    const dry = query.dry_run === true;
    const { count, files } = await this.jobs.cleanup({ olderThanDays, dryRun: dry });
    await deleteStoredFiles(this.storage, files, this.logger);
    return {
      dry_run: dry,
      older_than_days: olderThanDays,
      ...(dry ? { would_delete: count } : { deleted: count }),
    };
  }

  @Post(':id/recover')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a stuck job back to pending under a new attempt' })
  @ApiOkResponse({ type: JobResponse })
  @ApiErrorResponses(404, 409)
  async recover(@Param('id', JobIdPipe) id: string): Promise<JobResponse> {
    return toJobResponse(await this.jobs.recover(id));
  }
}
