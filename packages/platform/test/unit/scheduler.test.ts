// The scheduler without a database: cron evaluation in a time zone, keyed job ids, the API's guards.
import pino from 'pino';
import { nextCronTime } from '../../src/scheduler/cron';
import { keyedJobId } from '../../src/scheduler/job-runs';
import { createScheduler } from '../../src/scheduler/scheduler';

const logger = pino({ level: 'silent' });
// Never connected: the constructor and the guards below touch no database.
const unreachable = 'postgresql://postgres@127.0.0.1:1/none';

describe('nextCronTime', () => {
  it('reads 23:00 on the Moscow wall clock as 20:00Z (UTC+3 all year)', () => {
    expect(nextCronTime('0 23 * * *', 'Europe/Moscow', new Date('2026-03-01T00:00:00Z'))).toEqual(
      new Date('2026-03-01T20:00:00Z'),
    );
    expect(nextCronTime('0 23 * * *', 'Europe/Moscow', new Date('2026-07-01T20:00:00Z'))).toEqual(
      new Date('2026-07-02T20:00:00Z'),
    );
  });

  it('follows Berlin across the March DST change (23:00 is 22:00Z, then 21:00Z)', () => {
    expect(nextCronTime('0 23 * * *', 'Europe/Berlin', new Date('2026-03-28T00:00:00Z'))).toEqual(
      new Date('2026-03-28T22:00:00Z'),
    );
    expect(nextCronTime('0 23 * * *', 'Europe/Berlin', new Date('2026-03-28T22:00:00Z'))).toEqual(
      new Date('2026-03-29T21:00:00Z'),
    );
  });

  it('fires a wall time skipped by the spring-forward just after the gap', () => {
    // 2026-03-29 02:30 does not exist in Berlin (02:00 → 03:00 CEST): it fires at 03:30 CEST.
    expect(nextCronTime('30 2 * * *', 'Europe/Berlin', new Date('2026-03-28T12:00:00Z'))).toEqual(
      new Date('2026-03-29T01:30:00Z'),
    );
  });

  it('is strictly after the given instant, and accepts a seconds field', () => {
    expect(nextCronTime('0 23 * * *', 'Europe/Moscow', new Date('2026-03-01T20:00:00Z'))).toEqual(
      new Date('2026-03-02T20:00:00Z'),
    );
    expect(nextCronTime('*/5 * * * * *', 'UTC', new Date('2026-03-01T00:00:01Z'))).toEqual(
      new Date('2026-03-01T00:00:05Z'),
    );
  });

  it('refuses an invalid cron or an unknown zone', () => {
    expect(() => nextCronTime('at eleven', 'Europe/Moscow', new Date())).toThrow(/Invalid cron/);
    expect(() => nextCronTime('0 23 * * *', 'Mars/Olympus', new Date())).toThrow(/Unknown time zone/);
  });
});

describe('keyedJobId', () => {
  it('is a stable, well-formed UUID per (name, key)', () => {
    const id = keyedJobId('duty-reminder', 'key:duty-1');
    expect(id).toBe(keyedJobId('duty-reminder', 'key:duty-1'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keyedJobId('duty-reminder', 'key:duty-2')).not.toBe(id);
    expect(keyedJobId('other-job', 'key:duty-1')).not.toBe(id);
  });
});

describe('Scheduler guards', () => {
  const scheduler = () => createScheduler({ databaseUrl: unreachable, logger });
  const noop = async () => undefined;

  it('refuses a bad configuration at construction', () => {
    expect(() => createScheduler({ databaseUrl: unreachable, logger, timeZone: 'Nowhere/City' })).toThrow(
      /Unknown time zone/,
    );
    expect(() => createScheduler({ databaseUrl: unreachable, logger, schema: 'drop table' })).toThrow(/schema/);
    expect(() => createScheduler({ databaseUrl: unreachable, logger, pollingIntervalSeconds: 0.1 })).toThrow(/0.5/);
  });

  it('refuses bad names, duplicates, bad options and bad crons when jobs are declared', () => {
    const s = scheduler();
    expect(() => s.define('has space', noop)).toThrow(/Invalid job name/);
    expect(() => s.define('__pgboss__send-it', noop)).toThrow(/Invalid job name/);
    s.define('tick', noop);
    expect(() => s.define('tick', noop)).toThrow(/already defined/);
    expect(() => s.define('slow', noop, { expireInSeconds: 0 })).toThrow(/expireInSeconds/);
    expect(() => s.define('shaky', noop, { retryDelaySeconds: 1.5 })).toThrow(/retryDelaySeconds/);
    expect(() => s.every('tick', 'every minute')).toThrow(/Invalid cron/);
    expect(() => s.every('untold', '0 23 * * *')).toThrow(/not defined/);
  });

  it('schedules and cancels only once started', async () => {
    const s = scheduler();
    const tick = s.define<{ n: number }>('tick', noop);
    await expect(tick.runAt(new Date(), { n: 1 })).rejects.toThrow(/created/);
    await expect(s.cancel('tick', 'k')).rejects.toThrow(/created/);
    await expect(s.check()).rejects.toThrow(/created/);
    await s.stop(); // never started: nothing to close
    expect(() => s.define('late', noop)).toThrow(/stopped/);
  });
});
