/**
 * The frontend's preview and import calls (SEED-NOTES §1): rows of a job into a table through the
 * TableGateway (built-in tables, or the host application's), for single jobs and bulks.
 */
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  MessageEvent,
  Param,
  Post,
  Query,
  Res,
  Sse,
  UseGuards,
} from '@nestjs/common';
import { Observable } from 'rxjs';
import type { Response } from 'express';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/current-user.decorator';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { ImportPreviewService } from '../../import/import-preview.service';
import { ImportService } from '../../import/import.service';
import { BomImportService } from '../../import/bom-import.service';
import { ImportRunNotFoundError } from '../../import/import-errors';
import { ImportRunsRepository } from '../../import/runs/import-runs.repository';
import {
  BomImportRequestDto,
  bomItemsOf,
  BulkImportRequestDto,
  bulkRowIndicesProblems,
  ImportRequestDto,
  mappingProblems,
} from '../dto/import-request.dto';
import {
  ImportAcceptedResponse,
  ImportRunResponse,
  BomImportResponse,
  BulkImportResponse,
  BulkPreviewResponse,
  ImportResponse,
  PreviewResponse,
  toImportRunResponse,
} from '../dto/import-wire';
import { ImportProgressStreamService } from '../services/import-progress-stream.service';
import { ApiErrorResponses } from '../http/api-error-responses';
import { ValidationFailedError } from '../http/api-errors';
import { validateDto } from '../http/validation';
import { JobIdPipe } from '../http/job-id.pipe';
import { idempotencyKey } from './jobs.controller';

function checkMapping(mapping: Record<string, unknown>): void {
  const bad = mappingProblems(mapping);
  if (bad.length > 0) {
    throw new ValidationFailedError(
      `field_mapping values must be field ids or null: ${bad.join(', ')}`,
      { fields: { field_mapping: bad } },
    );
  }
}

/** A large import was accepted to run on a worker: 202 (also on an Idempotency-Key replay). */
function accepted202<T extends object>(res: Response, answer: T): T {
  if ('import_id' in answer) res.status(202);
  return answer;
}

/** The SSE media type; `x-event-data` is the schema of each event's data (as for job events). */
const IMPORT_EVENT_STREAM = {
  schema: { type: 'string' },
  'x-event-data': { $ref: getSchemaPath(ImportRunResponse) },
};

const flag = (value: string | undefined) => value === 'true' || value === '1';

@ApiTags('import')
@ApiBearerAuth()
@ApiErrorResponses(401, 500)
@UseGuards(JwtAuthGuard)
@Controller('api/v1/extraction')
export class ImportController {
  constructor(
    private readonly imports: ImportService,
    private readonly bomImports: BomImportService,
    private readonly previews: ImportPreviewService,
    private readonly runs: ImportRunsRepository,
    private readonly progress: ImportProgressStreamService,
  ) {}

  /** The caller's import run; 404 IMPORT_NOT_FOUND for another user's or a malformed id. */
  private async run(id: string, user: AuthUser) {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const run = uuid.test(id) ? await this.runs.get(user.id, id.toLowerCase()) : null;
    if (!run) throw new ImportRunNotFoundError(id);
    return run;
  }

  @Get('imports/:id')
  @ApiOperation({ summary: 'A large import running on a worker: progress, then its answer' })
  @ApiOkResponse({ type: ImportRunResponse })
  @ApiErrorResponses(404)
  async importRun(
    @Param('id') id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<ImportRunResponse> {
    return toImportRunResponse(await this.run(id, user));
  }

  @Sse('imports/:id/events')
  @ApiExtraModels(ImportRunResponse)
  @ApiOperation({
    summary:
      'Server-Sent Events of a large import: status and progress until completed or failed (token also as ?access_token=)',
  })
  @ApiOkResponse({
    description:
      'Events `status` (each status change) and `progress` (rows processed changed); `data` is the ImportRunResponse that GET /imports/{id} answers, so the last event carries the import answer. Ends when the run is completed or failed, or the token expires',
    content: { 'text/event-stream': IMPORT_EVENT_STREAM },
  })
  @ApiErrorResponses(404, 429)
  async importRunEvents(
    @Param('id') id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<Observable<MessageEvent>> {
    const run = await this.run(id, user); // 404 before the stream opens
    return this.progress.progressStream(run.id, user);
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: "Import a job's rows into a table (mapping, coercion, row selection, idempotent)",
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ type: ImportRequestDto })
  @ApiOkResponse({ type: ImportResponse })
  @ApiAcceptedResponse({
    type: ImportAcceptedResponse,
    description: 'Above IMPORT_ASYNC_ROWS rows',
  })
  @ApiErrorResponses(400, 403, 404, 409, 501)
  async importRows(
    @CurrentUser() user: AuthUser,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') key?: string,
  ): Promise<ImportResponse | ImportAcceptedResponse> {
    const dto = await validateDto(ImportRequestDto, body, { strict: true });
    checkMapping(dto.field_mapping);
    const answer = await this.imports.importRows(
      user.id,
      {
        jobId: dto.job_id.toLowerCase(),
        tableId: dto.table_id,
        fieldMapping: dto.field_mapping,
        createMissingFields: dto.create_missing_fields ?? false,
        skipErrors: dto.skip_errors ?? true,
        rowIndices: dto.row_indices ?? null,
        recordType: dto.record_type ?? null,
        allowDuplicates: dto.allow_duplicates ?? false,
        allowPartial: dto.allow_partial ?? false,
      },
      idempotencyKey(key),
    );
    return accepted202(res, answer);
  }

  @Post('bulk/import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Import the rows of the completed files of a bulk in one transaction' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ type: BulkImportRequestDto })
  @ApiOkResponse({ type: BulkImportResponse })
  @ApiAcceptedResponse({
    type: ImportAcceptedResponse,
    description: 'Above IMPORT_ASYNC_ROWS rows',
  })
  @ApiErrorResponses(400, 403, 404, 501)
  async importBulkRows(
    @CurrentUser() user: AuthUser,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') key?: string,
  ): Promise<BulkImportResponse | ImportAcceptedResponse> {
    const dto = await validateDto(BulkImportRequestDto, body, { strict: true });
    checkMapping(dto.field_mapping);
    const rowProblems = dto.row_indices ? bulkRowIndicesProblems(dto.row_indices) : [];
    if (rowProblems.length > 0) {
      throw new ValidationFailedError(`row_indices: ${rowProblems.join('; ')}`, {
        fields: { row_indices: rowProblems },
      });
    }
    const answer = await this.imports.importBulk(
      user.id,
      {
        bulkJobId: dto.bulk_job_id.toLowerCase(),
        tableId: dto.table_id,
        fieldMapping: dto.field_mapping,
        createMissingFields: dto.create_missing_fields ?? false,
        skipErrors: dto.skip_errors ?? true,
        fileSelection: dto.file_selection ?? null,
        includeSourceFile: dto.include_source_file ?? false,
        recordType: dto.record_type ?? null,
        allowDuplicates: dto.allow_duplicates ?? false,
        rowIndices: dto.row_indices
          ? Object.fromEntries(
              Object.entries(dto.row_indices).map(([id, rows]) => [id.toLowerCase(), rows]),
            )
          : null,
      },
      idempotencyKey(key),
    );
    return accepted202(res, answer);
  }

  @Post('bom/import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import posted BOM items into a table (import_mode all | validated_only | new_only)',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ type: BomImportRequestDto })
  @ApiOkResponse({ type: BomImportResponse })
  @ApiErrorResponses(400, 403, 404, 501)
  async importBom(
    @CurrentUser() user: AuthUser,
    @Body() body: unknown,
    @Headers('idempotency-key') key?: string,
  ): Promise<BomImportResponse> {
    const dto = await validateDto(BomImportRequestDto, body, { strict: true });
    checkMapping(dto.field_mapping);
    const items = bomItemsOf(dto.bom_data);
    if (!items) {
      throw new ValidationFailedError('bom_data must be {items: [...]} or a list of item objects', {
        fields: { bom_data: ['must hold a list of item objects'] },
      });
    }
    return this.bomImports.importBom(
      user.id,
      {
        tableId: dto.table_id,
        items,
        fieldMapping: dto.field_mapping,
        importMode: dto.import_mode ?? 'all',
        batchSize: dto.batch_size ?? 1000,
        createMissingFields: dto.create_missing_fields ?? false,
        skipErrors: dto.skip_errors ?? true,
        sourceFile: dto.source_file ?? null,
      },
      idempotencyKey(key),
    );
  }

  @Post('jobs/:id/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Source fields, target fields, suggested mapping and sample rows' })
  @ApiQuery({ name: 'table_id', required: false })
  @ApiQuery({ name: 'record_type', required: false, example: 'tables' })
  @ApiQuery({ name: 'allow_partial', required: false, example: false })
  @ApiOkResponse({ type: PreviewResponse })
  @ApiErrorResponses(400, 403, 404, 409, 501)
  async preview(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Query('table_id') tableId?: string,
    @Query('record_type') recordType?: string,
    @Query('allow_partial') allowPartial?: string,
  ): Promise<PreviewResponse> {
    return this.previews.preview(user.id, id, {
      tableId: tableId || null,
      recordType: recordType || null,
      allowPartial: flag(allowPartial),
    });
  }

  @Post('bulk/:id/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Union of source fields over the completed files, per-file previews' })
  @ApiQuery({ name: 'table_id', required: false })
  @ApiQuery({ name: 'record_type', required: false })
  @ApiQuery({ name: 'include_source_file', required: false, example: true })
  @ApiOkResponse({ type: BulkPreviewResponse })
  @ApiErrorResponses(400, 403, 404, 501)
  async previewBulk(
    @Param('id', JobIdPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Query('table_id') tableId?: string,
    @Query('record_type') recordType?: string,
    @Query('include_source_file') includeSourceFile?: string,
  ): Promise<BulkPreviewResponse> {
    return this.previews.previewBulk(user.id, id, {
      tableId: tableId || null,
      recordType: recordType || null,
      includeSourceFile: flag(includeSourceFile),
    });
  }
}
