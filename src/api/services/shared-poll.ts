/**
 * One poll for every Server-Sent Events stream of a kind in this process: each tick reads all the
 * watched ids in one statement (`load`) and hands each stream its row; 2,000 streams cost one
 * statement per tick, not 2,000. A stream ends when its `deliver` completes it, when the caller's
 * token expires, or when it is closed; a user may hold at most `maxStreamsPerUser` streams of the
 * kind in this process (TOO_MANY_STREAMS beyond). Job and import progress streams share it.
 */
import { Logger, MessageEvent } from '@nestjs/common';
import { Observable, Subscriber } from 'rxjs';
import { AuthUser } from '../../auth/auth-user';
import { TooManyStreamsError } from '../http/api-errors';

/** Sends a stream's events for its row (undefined: the row is gone) and completes it when final. */
export type Deliver<T> = (row: T | undefined, subscriber: Subscriber<MessageEvent>) => void;

interface Watcher<T> {
  id: string;
  subscriber: Subscriber<MessageEvent>;
  deliver: Deliver<T>;
}

export interface SharedPollOptions<T> {
  name: string;
  /** The watched rows by id (missing ids: gone). */
  load(ids: string[]): Promise<Map<string, T>>;
  intervalMs: number;
  maxStreamsPerUser: number;
}

export class SharedPoll<T> {
  private readonly logger: Logger;
  private readonly watchers = new Set<Watcher<T>>();
  private readonly streamsByUser = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly options: SharedPollOptions<T>) {
    this.logger = new Logger(options.name);
  }

  /** Open streams (all users), for tests and metrics. */
  get openStreams(): number {
    return this.watchers.size;
  }

  /**
   * A stream for `id` (the caller checked that the user may see it). Refuses at once with
   * TOO_MANY_STREAMS when the user is at the limit; the slot is taken now and given back when
   * the stream ends.
   */
  stream(id: string, user: AuthUser, deliver: Deliver<T>): Observable<MessageEvent> {
    const limit = this.options.maxStreamsPerUser;
    const open = this.streamsByUser.get(user.id) ?? 0;
    if (open >= limit) throw new TooManyStreamsError(limit);
    this.streamsByUser.set(user.id, open + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.streamsByUser.get(user.id) ?? 1) - 1;
      if (left > 0) this.streamsByUser.set(user.id, left);
      else this.streamsByUser.delete(user.id);
    };
    return new Observable<MessageEvent>((subscriber) => {
      const watcher: Watcher<T> = { id, subscriber, deliver };
      this.watchers.add(watcher);
      // The token's expiry ends the stream: a stream must not outlive the credential that opened it.
      const expiry =
        user.expiresAt !== undefined
          ? setTimeout(() => subscriber.complete(), Math.max(0, user.expiresAt - Date.now()))
          : undefined;
      this.schedule(0);
      return () => {
        clearTimeout(expiry);
        this.watchers.delete(watcher);
        release();
        if (this.watchers.size === 0) this.stop();
      };
    });
  }

  /** Ends every stream (module shutdown). */
  close(): void {
    for (const watcher of this.watchers) watcher.subscriber.complete();
    this.stop();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One pending tick at a time; a new stream asks for one at once, so its first event is prompt. */
  private schedule(delayMs: number): void {
    if (this.polling) return;
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.watchers.size === 0) return;
    this.polling = true;
    try {
      const ids = [...new Set([...this.watchers].map((w) => w.id))];
      const rows = await this.options.load(ids);
      for (const watcher of [...this.watchers])
        watcher.deliver(rows.get(watcher.id), watcher.subscriber);
    } catch (error) {
      // The database is away: streams stay open and the next tick tries again.
      this.logger.warn(`Progress poll failed: ${String(error)}`);
    } finally {
      this.polling = false;
    }
    if (this.watchers.size > 0) this.schedule(this.options.intervalMs);
  }
}
