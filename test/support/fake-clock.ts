import { Clock } from '../../src/common/clock';

/** A clock the test moves by hand. */
export class FakeClock extends Clock {
  private current: Date;

  constructor(start = '2026-01-01T00:00:00.000Z') {
    super();
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  set(iso: string | Date): void {
    this.current = new Date(iso);
  }
}
