import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

/**
 * The SQL statements one request ran and the time they took, from each statement's call to its
 * result (the round trip to PostgreSQL and the rows parsed), and apart from that the time it
 * waited for a connection of the pool. An operation's log line and metrics carry them, so "slow"
 * can be told apart: the statements, a pool too small for the load, or the service's own work.
 * Both times are wall time: statements run side by side (a page and its total, DataLoader
 * batches) count once, so neither can exceed the request's own time.
 */
export class DatabaseTime {
  statements = 0;
  /** While at least one statement was running. */
  seconds = 0;
  /** While at least one statement waited for a free connection (a full pool queues its callers). */
  waitSeconds = 0;
  private readonly running = { count: 0, since: 0 };
  private readonly waiting = { count: 0, since: 0 };

  /** A statement starts; call what it returns when its result is in. */
  statementStarted(): () => void {
    this.statements += 1;
    return this.interval(this.running, (seconds) => (this.seconds += seconds));
  }

  /** A wait for a connection starts; call what it returns when the connection is there. */
  waitStarted(): () => void {
    return this.interval(this.waiting, (seconds) => (this.waitSeconds += seconds));
  }

  private interval(span: { count: number; since: number }, add: (seconds: number) => void): () => void {
    if (span.count++ === 0) span.since = performance.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--span.count === 0) add((performance.now() - span.since) / 1000);
    };
  }
}

const currentRequest = new AsyncLocalStorage<DatabaseTime | undefined>();

/** Runs `work` with a tally of its own statements (every statement it or its promises run). */
export function withDatabaseTime<T>(tally: DatabaseTime, work: () => T): T {
  return currentRequest.run(tally, work);
}

/** The tally of the request running now, if it keeps one. */
export function currentDatabaseTime(): DatabaseTime | undefined {
  return currentRequest.getStore();
}

type Callback = (error: Error | null, result?: unknown) => void;
type QueryFunction = (...args: unknown[]) => unknown;
const noop = () => undefined;

/**
 * Makes every statement on `pool`'s connections count towards the tally of the request that runs
 * it. pg-pool hands a connection over from whichever call released it, so a callback of
 * `pool.connect` (as `pool.query` uses it) is run with its caller's tally, not the releaser's; a
 * `pool.connect()` promise resumes its awaiting caller in that caller's context anyway.
 * A statement outside any tally (relays, consumers, gRPC) costs one lookup.
 */
export function timeStatements(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (callback?: (...args: unknown[]) => void) => unknown;
  // pg's overloads (callback or promise) have no single signature to assign; both are kept.
  (pool as { connect: unknown }).connect = (callback?: (...args: unknown[]) => void) => {
    const tally = currentRequest.getStore();
    const waited = tally?.waitStarted() ?? noop;
    if (!callback) {
      const connected = connect() as Promise<unknown>;
      if (tally) connected.then(waited, waited);
      return connected;
    }
    // Not AsyncResource.bind, which cost ~40 µs a call here: as much as a statement.
    return connect((...args) => {
      waited();
      currentRequest.run(tally, callback, ...args);
    });
  };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as QueryFunction;
    (client as { query: unknown }).query = (...args: unknown[]) => timedQuery(query, args);
  });
}

function timedQuery(query: QueryFunction, args: unknown[]): unknown {
  const tally = currentDatabaseTime();
  // A Submittable (a cursor, a stream) is driven by its owner, statement by statement: not timed.
  if (!tally || typeof (args[0] as { submit?: unknown } | null)?.submit === 'function') return query(...args);
  const done = tally.statementStarted();
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === 'function') {
    args[last] = (error: Error | null, result: unknown) => {
      done();
      (callback as Callback)(error, result);
    };
    return query(...args);
  }
  const result = query(...args);
  if (result instanceof Promise) result.then(done, done);
  return result;
}
