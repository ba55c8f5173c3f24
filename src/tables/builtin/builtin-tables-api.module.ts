/** The /api/v1/tables routes of the built-in tables (API processes with TABLES_DRIVER=builtin). */
import { Module } from '@nestjs/common';
import { TablesController } from '../../api/controllers/tables.controller';
import { AuthModule } from '../../auth/auth.module';
import { BuiltinTablesModule } from './builtin-tables.module';

@Module({
  imports: [AuthModule, BuiltinTablesModule],
  controllers: [TablesController],
})
export class BuiltinTablesApiModule {}
