/** TABLES_DRIVER=none: the TABLE_GATEWAY token answers 501 NOT_IMPLEMENTED for every import. */
import { Global, Module } from '@nestjs/common';
import { TABLE_GATEWAY } from './table-gateway';
import { UnavailableTableGateway } from './unavailable-table-gateway';

@Global()
@Module({
  providers: [{ provide: TABLE_GATEWAY, useClass: UnavailableTableGateway }],
  exports: [TABLE_GATEWAY],
})
export class UnavailableTablesModule {}
