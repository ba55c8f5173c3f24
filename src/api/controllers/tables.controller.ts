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
import { validateBody } from '../dto/validate-body';

@ApiTags('tables')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('api/v1/tables')
export class TablesController {
  constructor(private readonly store: BuiltinTableStore) {}

  @Post()
  @ApiOperation({ summary: 'Create a table with its fields' })
  @ApiBody({ type: CreateTableDto })
  @ApiCreatedResponse({ type: TableResponse })
  async create(@CurrentUser() user: AuthUser, @Body() body: unknown): Promise<TableResponse> {
    const dto = validateBody(CreateTableDto, body);
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
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: Record<string, unknown>,
  ): Promise<TablePageResponse> {
    const { page, page_size } = validateBody(PageQueryDto, query);
    const { items, total } = await this.store.listTables(user.id, page, page_size);
    return { items: items.map((t) => toTableResponse(t)), total, page, page_size };
  }

  @Get(':id')
  @ApiOkResponse({ type: TableResponse })
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<TableResponse> {
    const table = await this.store.getTable(user.id, id);
    return toTableResponse(table, await this.store.countRecords(table.id));
  }

  @Get(':id/records')
  @ApiOperation({
    summary: 'Records in insertion order, values keyed by field id, with provenance',
  })
  @ApiOkResponse({ type: RecordPageResponse })
  async records(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<RecordPageResponse> {
    const { page, page_size } = validateBody(PageQueryDto, query);
    const { items, total } = await this.store.listRecords(user.id, id, page, page_size);
    return { items: items.map(toRecordResponse), total, page, page_size };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its fields and records' })
  async remove(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    await this.store.deleteTable(user.id, id);
  }
}
