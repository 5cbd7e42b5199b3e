/**
 * A clock tests move by hand; it has the shape of the platform's `Clock` (`{ now(): Date }`).
 * Started without a date it follows real time, shifted by what advance/set did; started at a date
 * it stands still there until moved.
 */
export class TestClock {
  private readonly frozenAt: number | undefined;
  private offsetMs = 0;

  constructor(start?: Date | string) {
    this.frozenAt = start === undefined ? undefined : new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.base() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Reads `date` from now on (a clock following real time goes on ticking from there). */
  set(date: Date | string): void {
    this.offsetMs = new Date(date).getTime() - this.base();
  }

  private base(): number {
    return this.frozenAt ?? Date.now();
  }
}
