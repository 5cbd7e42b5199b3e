/** "Now", injected so that time-dependent rules are testable (tests pin or advance it). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
