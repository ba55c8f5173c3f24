/**
 * TABLES_DRIVER=builtin: tables, fields and records in this service's PostgreSQL, and the
 * TableGateway on them. Global so the import services find the TABLE_GATEWAY token wherever it
 * comes from (this module, or a host application's own). The routes are BuiltinTablesApiModule.
 */
import { Global, Module } from '@nestjs/common';
import { TABLE_GATEWAY } from '../table-gateway';
import { BuiltinTableGateway } from './builtin-table-gateway';
import { BuiltinTableStore } from './builtin-table-store';

@Global()
@Module({
  providers: [
    BuiltinTableStore,
    BuiltinTableGateway,
    { provide: TABLE_GATEWAY, useExisting: BuiltinTableGateway },
  ],
  exports: [TABLE_GATEWAY, BuiltinTableStore],
})
export class BuiltinTablesModule {}
