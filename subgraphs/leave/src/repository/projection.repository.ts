import { foldEvents, type LeaveApplicationState, type RecordedEvent } from '../domain/leave-application';
import type { LeaveDatabase } from './database';
import { toApplicationRow, toDocumentRows } from './projection.mapper';
import { toRecordedEvent } from './stored-events.mapper';

/**
 * The read model (CQRS): `leave_applications_view` and `leave_documents_view` hold the folded
 * state of every stream. A command writes the new state there in the same statement as its events
 * (event-store.repository.ts); `rebuildProjection` recomputes all of it from the event store alone.
 * Both paths go through the same fold and the same row mapping (projection.mapper.ts).
 */

export interface RebuildReport {
  streams: number;
  events: number;
  documents: number;
}

const FIRST_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Recomputes the read model from the event store: truncate, then replay every stream, in one
 * transaction. Appends wait meanwhile (SHARE lock on the event store), so no command can commit
 * between the replay and the swap; readers keep seeing the old tables until the commit.
 */
export async function rebuildProjection(db: LeaveDatabase, batchSize = 500): Promise<RebuildReport> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('LOCK TABLE leave_events IN SHARE MODE');
      await tx.$executeRawUnsafe('TRUNCATE leave_documents_view, leave_applications_view');
      const report: RebuildReport = { streams: 0, events: 0, documents: 0 };
      for (let after = FIRST_UUID; ; ) {
        const streams = await tx.$queryRaw<{ stream_id: string }[]>`
          SELECT DISTINCT stream_id FROM leave_events WHERE stream_id > ${after}::uuid ORDER BY stream_id LIMIT ${batchSize}`;
        if (streams.length === 0) break;
        const ids = streams.map((s) => s.stream_id);
        const rows = await tx.leaveEvent.findMany({
          where: { streamId: { in: ids } },
          orderBy: [{ streamId: 'asc' }, { version: 'asc' }],
        });
        const states = foldStreams(rows.map(toRecordedEvent));
        await tx.leaveApplicationView.createMany({ data: states.map(toApplicationRow) });
        const documents = states.flatMap(toDocumentRows);
        if (documents.length) await tx.leaveDocumentView.createMany({ data: documents });
        report.streams += states.length;
        report.events += rows.length;
        report.documents += documents.length;
        after = ids[ids.length - 1]!;
      }
      return report;
    },
    { maxWait: 10_000, timeout: 30 * 60_000 },
  );
}

/** Folds events sorted by stream and version into one state per stream. */
function foldStreams(events: RecordedEvent[]): LeaveApplicationState[] {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const list = byStream.get(event.streamId) ?? [];
    list.push(event);
    byStream.set(event.streamId, list);
  }
  return [...byStream.values()].map((stream) => foldEvents(stream)!);
}
