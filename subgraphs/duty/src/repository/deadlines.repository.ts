import { enqueueEvents } from '@campus/platform';
import type { DutySchedule } from '../domain/records';
import type { DeadlineStore, OverdueClaim, ReminderClaim } from '../services/ports';
import type { DutyDatabase } from './database';
import { toSchedule } from './schedule.mapper';
import { toSanctionRow } from './sanctions.repository';

/**
 * The duty-sweep's writes. Each claim is a conditional UPDATE … RETURNING (Prisma's
 * updateManyAndReturn) whose WHERE repeats the rule of domain/deadline.ts: of two sweeps racing
 * on one duty (two replicas, or a retried job), the second's UPDATE waits for the first's row
 * lock, then no longer matches, so every effect happens once.
 */
export class PrismaDeadlineStore implements DeadlineStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly db: DutyDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async overdueCandidates(now: Date, limit: number): Promise<DutySchedule[]> {
    const rows = await this.db.dutySchedule.findMany({
      where: { status: 'pending', deadlineAt: { lte: now } },
      orderBy: [{ deadlineAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map(toSchedule);
  }

  async reminderCandidates(now: Date, limit: number): Promise<DutySchedule[]> {
    const rows = await this.db.dutySchedule.findMany({
      where: {
        status: 'pending',
        deadlineAt: { gt: now },
        OR: [
          { morningRemindedAt: null, morningReminderAt: { lte: now } },
          { eveningRemindedAt: null, eveningReminderAt: { lte: now }, morningReminderAt: { gt: now } },
        ],
      },
      orderBy: [{ deadlineAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map(toSchedule);
  }

  async claimOverdue(claim: OverdueClaim): Promise<DutySchedule | null> {
    const claimed = await this.db.$transaction(async (tx) => {
      const [row] = await tx.dutySchedule.updateManyAndReturn({
        where: { id: claim.scheduleId, status: 'pending', deadlineAt: { lte: claim.at } },
        data: { status: 'overdue', overdueAt: claim.at, updatedAt: claim.at, version: { increment: 1 } },
      });
      if (!row) return null;
      const schedule = toSchedule(row);
      // (schedule_id, user_id) is unique: a pair that exists already is kept as it is.
      const inserted = claim.sanctions.length
        ? await tx.sanction.createManyAndReturn({
            data: claim.sanctions.map((s) => toSanctionRow(s, claim.at)),
            skipDuplicates: true,
            select: { id: true },
          })
        : [];
      const ids = new Set(inserted.map((r) => r.id));
      await enqueueEvents(
        tx,
        claim.events(
          schedule,
          claim.sanctions.filter((s) => ids.has(s.id)),
        ),
      );
      return schedule;
    });
    if (claimed) this.onEventsCommitted();
    return claimed;
  }

  async claimReminder(claim: ReminderClaim): Promise<DutySchedule | null> {
    const at = claim.at;
    const due =
      claim.kind === 'today'
        ? { morningRemindedAt: null, morningReminderAt: { lte: at } }
        : { eveningRemindedAt: null, eveningReminderAt: { lte: at }, morningReminderAt: { gt: at } };
    const mark = claim.kind === 'today' ? { morningRemindedAt: at } : { eveningRemindedAt: at };
    const claimed = await this.db.$transaction(async (tx) => {
      const [row] = await tx.dutySchedule.updateManyAndReturn({
        where: { id: claim.scheduleId, status: 'pending', deadlineAt: { gt: at }, ...due },
        data: mark,
      });
      if (!row) return null;
      const schedule = toSchedule(row);
      await enqueueEvents(tx, claim.events(schedule));
      return schedule;
    });
    if (claimed) this.onEventsCommitted();
    return claimed;
  }
}
