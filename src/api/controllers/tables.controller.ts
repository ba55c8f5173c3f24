/**
 * Tables of the built-in store (TABLES_DRIVER=builtin) under /api/v1/tables: create with fields,
 * list, get, list records (paginated), delete. Registered by BuiltinTablesModule only.
 */
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/current-user.decorator';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { BuiltinTableStore } from '../../tables/builtin/builtin-table-store';
import { CreateTableDto } from '../dto/create-table.dto';
import { PageQueryDto } from '../dto/page-query.dto';
import {
  RecordPageResponse,
  TablePageResponse,
  TableResponse,
  toRecordResponse,
  toTableResponse,
} from '../dto/table-wire';
import { ApiErrorResponses } from '../http/api-error-responses';
import { validateDto } from '../http/validation';

@ApiTags('tables')
@ApiBearerAuth()
@ApiErrorResponses(401, 500)
@UseGuards(JwtAuthGuard)
@Controller('api/v1/tables')
export class TablesController {
  constructor(private readonly store: BuiltinTableStore) {}

  @Post()
  @ApiOperation({ summary: 'Create a table with its fields' })
  @ApiBody({ type: CreateTableDto })
  @ApiCreatedResponse({ type: TableResponse })
  @ApiErrorResponses(400)
  async create(@CurrentUser() user: AuthUser, @Body() body: unknown): Promise<TableResponse> {
    const dto = await validateDto(CreateTableDto, body, { strict: true });
    const table = await this.store.createTable(user.id, {
      name: dto.name,
      description: dto.description,
      readOnly: dto.read_only,
      fields: dto.fields,
    });
    return toTableResponse(table, 0);
  }

  @Get()
  @ApiOperation({ summary: "The caller's tables, oldest first" })
  @ApiOkResponse({ type: TablePageResponse })
  @ApiErrorResponses(400)
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQueryDto,
  ): Promise<TablePageResponse> {
    const { page, page_size } = query;
    const { items, total } = await this.store.listTables(user.id, page, page_size);
    return { items: items.map((t) => toTableResponse(t)), total, page, page_size };
  }

  @Get(':id')
  @ApiOkResponse({ type: TableResponse })
  @ApiErrorResponses(404)
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<TableResponse> {
    const table = await this.store.getTable(user.id, id);
    return toTableResponse(table, await this.store.countRecords(table.id));
  }

  @Get(':id/records')
  @ApiOperation({
    summary: 'Records in insertion order, values keyed by field id, with provenance',
  })
  @ApiOkResponse({ type: RecordPageResponse })
  @ApiErrorResponses(400, 404)
  async records(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() query: PageQueryDto,
  ): Promise<RecordPageResponse> {
    const { page, page_size } = query;
    const { items, total } = await this.store.listRecords(user.id, id, page, page_size);
    return { items: items.map(toRecordResponse), total, page, page_size };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its fields and records' })
  @ApiErrorResponses(404)
  async remove(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    await this.store.deleteTable(user.id, id);
  }
}
