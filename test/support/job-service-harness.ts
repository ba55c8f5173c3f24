/** Builds ExtractionJobService on a fresh test database, with a fake clock and a recording queue. */
import { AppConfig } from '../../src/config/app-config';
import { ExtractionJobRepository } from '../../src/extraction/persistence/extraction-job.repository';
import { ExtractionJobSweepsRepository } from '../../src/extraction/persistence/extraction-job-sweeps.repository';
import { JobDatabase } from '../../src/extraction/persistence/job-database';
import { ExtractionJobService } from '../../src/extraction/jobs/extraction-job.service';
import { CreateJobInput, JobRef } from '../../src/extraction/jobs/job.types';
import { JobQueue } from '../../src/extraction/jobs/job-queue';
import { createTestDatabase, TestDatabase } from './test-database';
import { FakeClock } from './fake-clock';

/** A queue that records what was dispatched; `isQueued` answers from that record. */
export class RecordingDispatcher extends JobQueue {
  readonly dispatched: JobRef[] = [];
  failNext = false;

  async isQueued(ref: JobRef): Promise<boolean> {
    return this.dispatched.some((d) => d.id === ref.id && d.attempt === ref.attempt);
  }

  consume(): void {
    throw new Error('RecordingDispatcher does not consume');
  }

  async stopConsuming(): Promise<void> {}

  async epoch(): Promise<{ id: string; created: boolean }> {
    return { id: 'recording', created: false };
  }

  async dispatch(refs: JobRef[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('queue unreachable');
    }
    this.dispatched.push(...refs);
  }
}

export interface JobServiceHarness {
  db: TestDatabase;
  clock: FakeClock;
  config: AppConfig;
  dispatcher: RecordingDispatcher;
  repository: ExtractionJobRepository;
  service: ExtractionJobService;
  close(): Promise<void>;
}

export async function createJobServiceHarness(
  env: Record<string, string> = {},
): Promise<JobServiceHarness> {
  const db = await createTestDatabase(20);
  const clock = new FakeClock();
  const config = AppConfig.fromEnvironment(
    {},
    {
      DATABASE_URL: db.url,
      RETRY_JITTER: '0',
      RETRY_BASE_SECONDS: '60',
      RETRY_CAP_SECONDS: '3600',
      MAX_RETRIES: '3',
      LEASE_SECONDS: '120',
      ...env,
    },
  );
  const dispatcher = new RecordingDispatcher();
  const database = new JobDatabase(db.dataSource);
  const repository = new ExtractionJobRepository(database);
  const service = new ExtractionJobService(
    repository,
    new ExtractionJobSweepsRepository(database),
    dispatcher,
    clock,
    config,
  );
  return { db, clock, config, dispatcher, repository, service, close: () => db.close() };
}

let counter = 0;
export function newJobInput(overrides: Partial<CreateJobInput> = {}): CreateJobInput {
  counter += 1;
  return {
    ownerId: 'user-a',
    format: 'dxf',
    filename: `drawing-${counter}.dxf`,
    fileUrl: `local://user-a/job-${counter}/drawing-${counter}.dxf`,
    fileSize: 1234,
    ...overrides,
  };
}
