/** Enqueues import runs on Bull; never throws (a lost message is found by the sweep). */
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { withTimeout } from '../../common/with-timeout';
import {
  IMPORT_QUEUE,
  importBullJobId,
  RUN_IMPORT_JOB,
  RunImportPayload,
} from '../../queue/import-queue.constants';

@Injectable()
export class ImportRunQueue {
  private readonly logger = new Logger(ImportRunQueue.name);

  constructor(@InjectQueue(IMPORT_QUEUE) readonly queue: Queue<RunImportPayload>) {}

  async dispatch(payload: RunImportPayload): Promise<void> {
    try {
      await withTimeout(
        this.queue.add(RUN_IMPORT_JOB, payload, { jobId: importBullJobId(payload) }),
        3000,
        'Redis',
      );
    } catch (error) {
      this.logger.warn(`Import run ${payload.runId} stays pending for the sweep: ${String(error)}`);
    }
  }
}
