import { enqueueEvents } from '@campus/platform';
import { concurrentModification } from '../domain/errors';
import type { RecordedEvent } from '../domain/leave-application';
import type { Commit, EventStore } from '../services/ports';
import { isUniqueViolation, type LeaveDatabase } from './database';
import { saveApplicationView } from './projection';
import { toEventRow, toRecordedEvent } from './stored-events';

/**
 * The append-only event store in `leave_events`. Optimistic concurrency comes from the unique
 * (stream_id, version): two commands decided on the same version both try to insert version + 1,
 * and the database lets exactly one of them commit.
 */
export class PrismaEventStore implements EventStore {
  constructor(private readonly db: LeaveDatabase) {}

  async load(streamId: string): Promise<RecordedEvent[]> {
    const rows = await this.db.leaveEvent.findMany({ where: { streamId }, orderBy: { version: 'asc' } });
    return rows.map(toRecordedEvent);
  }

  /** Events, read model and outbox rows in one transaction: all of them or none. */
  async commit(commit: Commit): Promise<void> {
    try {
      await this.db.$transaction(async (tx) => {
        await tx.leaveEvent.createMany({ data: commit.events.map(toEventRow) });
        await saveApplicationView(tx, commit.state);
        await enqueueEvents(tx, commit.integrationEvents);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw concurrentModification(commit.streamId, commit.expectedVersion);
      throw error;
    }
  }
}
