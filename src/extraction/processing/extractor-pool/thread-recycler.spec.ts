import { EventEmitter } from 'node:events';
import type { Piscina } from 'piscina';
import { RecycleReason, ThreadRecycler } from './thread-recycler';

/** piscina as the recycler sees it: thread events, the thread list, and each thread's load. */
function fakePool(ids: number[]) {
  const events = new EventEmitter();
  const threads = ids.map((id) => ({ id, currentUsage: 0 }));
  const terminated: number[] = [];
  const workers = ids.map((threadId) => ({
    threadId,
    terminate: () => {
      terminated.push(threadId);
      return Promise.resolve(0);
    },
  }));
  const piscina = Object.assign(events, { threads: workers }) as unknown as Piscina;
  return { piscina, events, threads, terminated };
}

describe(ThreadRecycler.name, () => {
  let reasons: RecycleReason[];
  let recycler: ThreadRecycler;
  let pool: ReturnType<typeof fakePool>;
  beforeEach(() => {
    reasons = [];
    recycler = new ThreadRecycler((reason) => reasons.push(reason));
    pool = fakePool([1, 2]);
    recycler.attach(pool.piscina);
    for (const thread of pool.threads) pool.events.emit('workerCreate', thread);
  });
  const pick = () => recycler.balance({}, pool.threads)?.id ?? null;

  it('terminates an idle thread at once and gives it no task meanwhile', () => {
    recycler.retire(1, 'spike');
    expect(pool.terminated).toEqual([1]);
    expect(pick()).toBe(2);
    expect(reasons).toEqual(['spike']);
  });

  it('lets a thread finish the task it was given in the same turn, then terminates it', () => {
    pool.threads[0].currentUsage = Infinity; // piscina handed it the next task already
    recycler.retire(1, 'spike');
    expect(pool.terminated).toEqual([]);
    pool.threads[0].currentUsage = 0;
    pool.threads[1].currentUsage = Infinity;
    expect(pick()).toBeNull(); // the retiring thread is idle but takes nothing
    recycler.settled(1);
    expect(pool.terminated).toEqual([1]);
  });

  it('recycles only the idle threads when over budget, once each', () => {
    pool.threads[1].currentUsage = Infinity;
    recycler.retireIdle();
    recycler.retireIdle();
    expect(pool.terminated).toEqual([1]);
    expect(reasons).toEqual(['over_budget']);
  });

  it('forgets a thread piscina dropped', () => {
    pool.events.emit('workerDestroy', pool.threads[0]);
    recycler.retire(1, 'spike');
    expect(pool.terminated).toEqual([]);
    expect(reasons).toEqual([]);
  });
});
