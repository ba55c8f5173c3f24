/** What only worker processes run for imports: the processor of large imports and its sweep. */
import { Module } from '@nestjs/common';
import { ImportModule } from './import.module';
import { ImportRunProcessor } from './runs/import-run.processor';
import { ImportRunSweeper } from './runs/import-run.sweeper';

@Module({
  imports: [ImportModule],
  providers: [ImportRunProcessor, ImportRunSweeper],
})
export class ImportWorkerModule {}
