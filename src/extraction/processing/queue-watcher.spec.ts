import { AppConfig } from '../../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import { JobRef } from '../jobs/job.types';
import { ExtractionScheduler } from './extraction.scheduler';
import { QueueWatcher } from './queue-watcher';

/** A queue that is reachable with a stable epoch, and whose dispatch can "skip" like Bull's. */
class FakeQueue extends JobQueue {
  reachable = true;
  async dispatch(_refs: JobRef[]): Promise<void> {
    this.noteUndelivered();
  }
  async isQueued(): Promise<boolean> {
    return false;
  }
  consume(): void {}
  async stopConsuming(): Promise<void> {}
  async epoch(): Promise<{ id: string; created: boolean }> {
    if (!this.reachable) throw new Error('unreachable');
    return { id: 'epoch-1', created: false };
  }
}

describe('QueueWatcher', () => {
  const setup = () => {
    const queue = new FakeQueue();
    const reconcileNow = jest.fn().mockResolvedValue(0);
    const scheduler = { reconcileNow } as unknown as ExtractionScheduler;
    const watcher = new QueueWatcher(queue, scheduler, {} as AppConfig);
    return { queue, reconcileNow, watcher };
  };

  it('does not reconcile while the queue keeps its data and every dispatch went through', async () => {
    const { watcher, reconcileNow } = setup();
    await watcher.check();
    await watcher.check();
    expect(reconcileNow).not.toHaveBeenCalled();
  });

  it('reconciles once when the queue answers after a dispatch was skipped', async () => {
    const { queue, watcher, reconcileNow } = setup();
    await watcher.check(); // first epoch seen
    queue.reachable = false;
    await queue.dispatch([{ id: 'a', attempt: 1 }]); // skipped: left for the reconciler
    await watcher.check(); // unreachable: nothing to do yet
    expect(reconcileNow).not.toHaveBeenCalled();
    queue.reachable = true;
    await watcher.check(); // back after being down
    await queue.dispatch([{ id: 'b', attempt: 1 }]); // skipped right after the recovery
    await watcher.check();
    await watcher.check();
    expect(reconcileNow).toHaveBeenCalledTimes(2);
  });
});
