import { ACTIVE_STATUSES, JOB_STATUSES, JobStatus, SETTLED_STATUSES } from '../entities/job-enums';
import {
  canTransition,
  INITIAL_STATUS,
  JOB_ACTIONS,
  statusAfter,
  statusAfterFailure,
  statusesAfter,
  statusesAllowing,
} from './job-state-machine';

describe('job state machine', () => {
  const from = (action: (typeof JOB_ACTIONS)[number]): JobStatus[] =>
    JOB_STATUSES.filter((s) => canTransition(s, action));

  it('claims only pending jobs', () => {
    expect(from('claim')).toEqual(['pending']);
  });

  it('lets only a processing attempt report, complete, fail or be released', () => {
    for (const action of ['heartbeat', 'progress', 'complete', 'fail', 'release'] as const) {
      expect(from(action)).toEqual(['processing']);
    }
  });

  it('cancels any active job and nothing settled', () => {
    expect(from('cancel')).toEqual(['pending', 'processing', 'retrying']);
  });

  it('retries manually only failed jobs; the sweep requeues only retrying ones', () => {
    expect(from('retry')).toEqual(['failed']);
    expect(from('requeue')).toEqual(['retrying']);
  });

  it('never leaves completed or cancelled except by deletion', () => {
    for (const action of JOB_ACTIONS.filter((a) => a !== 'delete')) {
      expect(canTransition('completed', action)).toBe(false);
      expect(canTransition('cancelled', action)).toBe(false);
    }
    expect(from('delete')).toEqual(['completed', 'failed', 'cancelled']);
  });

  it('sends retryable failures with retries left to retrying, the rest to failed', () => {
    expect(statusAfterFailure(true, 0, 3)).toBe('retrying');
    expect(statusAfterFailure(true, 2, 3)).toBe('retrying');
    expect(statusAfterFailure(true, 3, 3)).toBe('failed');
    expect(statusAfterFailure(false, 0, 3)).toBe('failed');
  });

  it('knows every status of the enum: each is reached by an action and left by one', () => {
    const reached = new Set<JobStatus>([INITIAL_STATUS, ...JOB_ACTIONS.flatMap(statusesAfter)]);
    const left = new Set<JobStatus>(JOB_ACTIONS.flatMap(statusesAllowing));
    for (const status of JOB_STATUSES) {
      expect({ status, reached: reached.has(status) }).toEqual({ status, reached: true });
      expect({ status, left: left.has(status) }).toEqual({ status, left: true });
    }
  });

  it('splits the statuses into active and settled, with no status in both or neither', () => {
    expect([...ACTIVE_STATUSES, ...SETTLED_STATUSES].sort()).toEqual([...JOB_STATUSES].sort());
    expect(statusesAllowing('cancel')).toEqual(ACTIVE_STATUSES);
  });

  it('names where each action leads', () => {
    expect(statusAfter('claim')).toBe('processing');
    expect(statusAfter('complete')).toBe('completed');
    expect(statusesAfter('fail')).toEqual(['retrying', 'failed']);
    expect(statusesAfter('delete')).toEqual([]);
    expect(() => statusAfter('fail')).toThrow('no single target');
  });
});
