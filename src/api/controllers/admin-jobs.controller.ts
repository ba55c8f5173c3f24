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
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { SuperuserGuard } from '../../auth/superuser.guard';
import { AppConfig } from '../../config/app-config';
import { ExtractionJobService } from '../../extraction/jobs/extraction-job.service';
import { ValidationFailedError } from '../http/api-errors';
import { JobIdPipe } from '../http/job-id.pipe';
import { deleteStoredFiles, STORAGE_DRIVER, StorageDriver } from '../../storage';
import { JobResponse, toJobResponse } from '../dto/job-wire';

function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new ValidationFailedError(`"${name}" must be a number from 0`, { field: name, value });
  return n;
}

@ApiTags('admin')
@ApiBearerAuth()
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
  async stats() {
    const stats = await this.jobs.stats();
    return { total: stats.total, by_status: stats.byStatus, retryable: stats.retryable };
  }

  @Get('stuck')
  @ApiQuery({ name: 'timeout_minutes', required: false, example: 30 })
  async stuck(
    @Query('timeout_minutes') timeout?: string,
  ): Promise<{ items: JobResponse[]; timeout_minutes: number }> {
    const minutes = positiveNumber(
      timeout,
      'timeout_minutes',
      this.config.sweep.stuckTimeoutMinutes,
    );
    return {
      items: (await this.jobs.findStuck(minutes)).map(toJobResponse),
      timeout_minutes: minutes,
    };
  }

  @Post('cleanup')
  @HttpCode(200)
  @ApiQuery({ name: 'older_than_days', required: false, example: 30 })
  @ApiQuery({ name: 'dry_run', required: false, example: true })
  async cleanup(@Query('older_than_days') days?: string, @Query('dry_run') dryRun?: string) {
    const olderThanDays = positiveNumber(days, 'older_than_days', this.config.sweep.retentionDays);
    const dry = dryRun === 'true';
    const { count, files } = await this.jobs.cleanup({ olderThanDays, dryRun: dry });
    await deleteStoredFiles(this.storage, files, this.logger);
    return {
      dry_run: dry,
      older_than_days: olderThanDays,
      [dry ? 'would_delete' : 'deleted']: count,
    };
  }

  @Post(':id/recover')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a stuck job back to pending under a new attempt' })
  async recover(@Param('id', JobIdPipe) id: string): Promise<JobResponse> {
    return toJobResponse(await this.jobs.recover(id));
  }
}
