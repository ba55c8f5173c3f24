/**
 * TABLES_DRIVER=builtin: tables, fields and records in this service's PostgreSQL, the
 * TableGateway on them, and the /api/v1/tables routes. Global so the import services find the
 * TABLE_GATEWAY token wherever it comes from (this module, or a host application's own).
 */
import { Global, Module } from '@nestjs/common';
import { TablesController } from '../../api/controllers/tables.controller';
import { AuthModule } from '../../auth/auth.module';
import { TABLE_GATEWAY } from '../table-gateway';
import { BuiltinTableGateway } from './builtin-table-gateway';
import { BuiltinTableStore } from './builtin-table-store';

@Global()
@Module({
  imports: [AuthModule],
  controllers: [TablesController],
  providers: [
    BuiltinTableStore,
    BuiltinTableGateway,
    { provide: TABLE_GATEWAY, useExisting: BuiltinTableGateway },
  ],
  exports: [TABLE_GATEWAY, BuiltinTableStore],
})
export class BuiltinTablesModule {}
