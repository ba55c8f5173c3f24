/**
 * In-process subscribers: other modules register typed handlers here. Each handler gets every
 * matching event at least once, after the change committed, from the outbox: first called by the
 * relay; a handler that throws (or runs past a second) gets a delivery row of its own and is
 * retried with backoff, never holding up the others. Deduplicate on `event.id`: a redelivery
 * carries the same id.
 *
 * Handlers run in the processes that relay the outbox (ROLE=worker or all): register them in a
 * module those processes load, under a name that stays the same across deploys.
 */
import { Injectable } from '@nestjs/common';
import {
  DEFAULT_EVENT_TYPES,
  EVENT_TYPES,
  ExtractionEvent,
  ExtractionEventType,
} from './event-types';

export type ExtractionEventOf<T extends ExtractionEventType> = ExtractionEvent & { type: T };
export type ExtractionEventHandler<T extends ExtractionEventType> = (
  event: ExtractionEventOf<T>,
) => unknown;

interface Registered {
  types: readonly ExtractionEventType[] | '*';
  handle: (event: ExtractionEvent) => unknown;
}

@Injectable()
export class ExtractionEvents {
  private readonly handlers = new Map<string, Registered>();

  /**
   * Subscribes `handle` under `name` (unique, stable: pending deliveries are kept by name) to
   * the given event types, or `'*'` for all but the optional ones (`bulk.progress`: list it to
   * get it). A handler that throws or rejects is called again with the same event after a backoff.
   */
  on<T extends ExtractionEventType>(
    name: string,
    types: T | readonly T[] | '*',
    handle: ExtractionEventHandler<T>,
  ): void {
    if (this.handlers.has(name)) throw new Error(`Event handler "${name}" is already registered`);
    const list = types === '*' ? '*' : typeof types === 'string' ? [types] : types;
    if (list !== '*') {
      for (const type of list)
        if (!EVENT_TYPES.includes(type)) throw new Error(`Unknown event type "${type}"`);
    }
    this.handlers.set(name, {
      types: list,
      handle: handle as (event: ExtractionEvent) => unknown,
    });
  }

  /** Removes a handler (its pending deliveries wait until a process registers it again). */
  off(name: string): void {
    this.handlers.delete(name);
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }

  /** Names of the handlers subscribed to `type`. */
  handlersFor(type: string): string[] {
    return [...this.handlers]
      .filter(([, h]) =>
        ((h.types === '*' ? DEFAULT_EVENT_TYPES : h.types) as readonly string[]).includes(type),
      )
      .map(([name]) => name);
  }

  /** Calls the handler `name`; throws when it is not registered here or when it fails. */
  async dispatch(name: string, event: ExtractionEvent): Promise<void> {
    const registered = this.handlers.get(name);
    if (!registered) throw new Error(`Event handler "${name}" is not registered in this process`);
    await registered.handle(event);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }
}
