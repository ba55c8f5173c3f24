import { MessageEvent } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { AppConfig } from '../../config/app-config';
import { ExtractionJob } from '../../extraction/entities/extraction-job.entity';
import { ExtractionJobService } from '../../extraction/jobs/extraction-job.service';
import { JobProgressStreamService } from './job-progress-stream.service';

const POLL_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function job(id: string, status = 'processing', progress = 10): ExtractionJob {
  return Object.assign(new ExtractionJob(), {
    id,
    status,
    progress,
    errorCode: null,
    errorMessage: null,
  });
}

describe(JobProgressStreamService.name, () => {
  const config = AppConfig.fromEnvironment(
    {},
    { SSE_MAX_STREAMS_PER_USER: '20', SSE_POLL_INTERVAL_MS: String(POLL_MS) },
  );
  let rows: Map<string, ExtractionJob>;
  let reads: string[][];
  let service: JobProgressStreamService;
  const subscriptions: Subscription[] = [];

  beforeEach(() => {
    rows = new Map(['a', 'b', 'c'].map((id) => [id, job(id)]));
    reads = [];
    const jobs = {
      getManyWithoutResults: async (ids: string[]) => {
        reads.push([...ids].sort());
        return ids.flatMap((id) => (rows.has(id) ? [rows.get(id)!] : []));
      },
    } as unknown as ExtractionJobService;
    service = new JobProgressStreamService(jobs, config);
  });
  afterEach(() => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
    service.onModuleDestroy();
  });

  const open = (jobId: string, userId: string, expiresAt?: number) => {
    const events: MessageEvent[] = [];
    const state = { done: false };
    subscriptions.push(
      service.progressStream(jobId, { id: userId, isSuperuser: false, expiresAt }).subscribe({
        next: (e) => events.push(e),
        complete: () => (state.done = true),
        error: () => (state.done = true),
      }),
    );
    return { events, state };
  };

  it('serves every stream of the process from one statement per tick', async () => {
    const streams = Array.from({ length: 60 }, (_, i) => open(['a', 'b', 'c'][i % 3], `u${i % 5}`));
    await sleep(POLL_MS * 5);
    expect(reads.length).toBeGreaterThanOrEqual(3);
    // One read per tick for all 60 streams (not 60 per tick), each naming the three jobs once.
    expect(reads.length).toBeLessThanOrEqual(8);
    for (const ids of reads) expect(ids).toEqual(['a', 'b', 'c']);
    for (const s of streams) expect(s.events[0]).toMatchObject({ type: 'status' });

    rows.set('a', job('a', 'processing', 50));
    rows.set('b', job('b', 'completed', 100));
    await sleep(POLL_MS * 3);
    expect(streams[0].events.map((e) => e.type)).toEqual(['status', 'progress']);
    expect(streams[1].events.map((e) => e.type)).toEqual(['status', 'status']);
    expect(streams[1].state.done).toBe(true);
    expect(streams[0].state.done).toBe(false);
    expect(service.openStreams).toBe(40);
  });

  it('caps the open streams of a user and gives slots back when streams end', () => {
    for (let i = 0; i < 20; i += 1) open('a', 'greedy');
    expect(() => open('a', 'greedy')).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_STREAMS' }),
    );
    expect(() => open('a', 'modest')).not.toThrow();
    subscriptions[0].unsubscribe();
    expect(() => open('a', 'greedy')).not.toThrow();
  });

  it('ends a stream when the token that opened it expires', async () => {
    const short = open('a', 'u', Date.now() + POLL_MS * 3);
    const long = open('a', 'u', Date.now() + 3_600_000);
    await sleep(POLL_MS * 6);
    expect(short.state.done).toBe(true);
    expect(long.state.done).toBe(false);
    expect(service.openStreams).toBe(1);
  });

  it('ends a stream with an error when its job is gone', async () => {
    const s = open('a', 'u');
    await sleep(POLL_MS * 2);
    rows.delete('a');
    await sleep(POLL_MS * 3);
    expect(s.state.done).toBe(true);
    expect(service.openStreams).toBe(0);
  });
});
