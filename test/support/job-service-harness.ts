/** Builds ExtractionJobService on a fresh test database, with a fake clock and a recording queue. */
import { AppConfig } from '../../src/config/app-config';
import { ExtractionJobRepository, JobRef } from '../../src/extraction/extraction-job.repository';
import { ExtractionJobSweepsRepository } from '../../src/extraction/extraction-job-sweeps.repository';
import { JobDatabase } from '../../src/extraction/job-database';
import { ExtractionJobService, CreateJobInput } from '../../src/extraction/extraction-job.service';
import { JobDispatcher } from '../../src/extraction/job-dispatcher';
import { createTestDatabase, TestDatabase } from './test-database';
import { FakeClock } from './fake-clock';

export class RecordingDispatcher extends JobDispatcher {
  readonly dispatched: JobRef[] = [];
  failNext = false;

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
