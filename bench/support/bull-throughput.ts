/**
 * Files per second of a Bull queue whose processor runs `step` for each message (bare Bull: a
 * step that does nothing). Messages look like the service's (`{jobId, attempt}`, Bull job id
 * `"<jobId>:<attempt>"`, attempts 1, finished messages removed); the queue is removed afterwards.
 */
import Bull from 'bull';

export type BullStep = (index: number) => Promise<void>;

export async function bullThroughput(
  redisUrl: string,
  prefix: string,
  n: number,
  concurrency: number,
  step: BullStep = async () => {},
): Promise<number> {
  const queue = new Bull<{ jobId: string; attempt: number }>('bare', redisUrl, {
    prefix,
    defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: true },
  });
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    void queue.process('step', concurrency, async (job) => {
      await step(Number(job.data.jobId));
      done += 1;
      if (done === n) resolve();
    });
  });
  const started = process.hrtime.bigint();
  await queue.addBulk(
    Array.from({ length: n }, (_, i) => ({
      name: 'step',
      data: { jobId: `${i}`, attempt: 0 },
      opts: { jobId: `${i}:0` },
    })),
  );
  await finished;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await queue.obliterate({ force: true });
  await queue.close();
  return n / seconds;
}
