// In-memory doubles of the checkout ports, for unit tests of the saga without a network.
import { conflict, DomainError, unavailable, type CloudEvent, type Page, type PageRequest } from '@campus/platform';
import { alreadyRunning } from '../../src/domain/errors';
import {
  ACTIVE_SAGA_STATUSES,
  type Batch,
  type BatchCounts,
  type CohortFilter,
  type Saga,
  type SagaAction,
  type SagaStatus,
  type Student,
} from '../../src/domain/records';
import type {
  BatchFilter,
  CheckoutQueriesStore,
  NewBatch,
  Participants,
  SagaSave,
  SagaStore,
  StepRun,
  StudentDirectory,
} from '../../src/services/ports';

/** What a participant answers to one call: done, a business refusal, being down, or this error (e.g. a bug's). */
export type Scripted = 'done' | 'refused' | 'unavailable' | Error;

/** The participants of the saga, scripted per action (`do:withdraw_leave`, `undo:release_bookings`…). */
export class ScriptedParticipants implements Participants {
  readonly calls: string[] = [];
  private readonly scripts = new Map<string, Scripted[]>();

  /** The next answers of `action` for every saga (then done); e.g. script('undo:withdraw_leave', 'unavailable'). */
  script(action: string, ...answers: Scripted[]): this {
    this.scripts.set(action, [...(this.scripts.get(action) ?? []), ...answers]);
    return this;
  }

  async run(action: SagaAction, saga: Saga): Promise<void> {
    const key = `${action.kind}:${action.step}`;
    this.calls.push(`${key}:${saga.studentId}`);
    const answer = this.scripts.get(key)?.shift() ?? 'done';
    if (answer === 'done') return;
    if (answer === 'unavailable') throw unavailable(`${key} is down`);
    if (answer === 'refused') throw conflict(`${key} refused`, {}, 'PARTICIPANT_REFUSED');
    throw answer;
  }

  /** The calls of one student, without the student id. */
  of(studentId: string): string[] {
    return this.calls.filter((c) => c.endsWith(`:${studentId}`)).map((c) => c.slice(0, -studentId.length - 1));
  }
}

export class InMemoryStudents implements StudentDirectory {
  constructor(readonly students: Student[] = []) {}
  async activeUsers(ids: readonly string[]): Promise<Student[]> {
    return this.students.filter((s) => ids.includes(s.id));
  }
  /** Students matching every field given of building and entrance (none given: every student). */
  async cohort(filter: CohortFilter): Promise<Student[]> {
    return this.students.filter(
      (s) =>
        s.isStudent &&
        (filter.building == null || s.room?.building === filter.building) &&
        (filter.entrance == null || s.room?.entrance === filter.entrance),
    );
  }
}

/** The saga store in memory, with the same claim, version and batch-end rules as PostgreSQL's. */
export class InMemorySagaStore implements SagaStore, CheckoutQueriesStore {
  readonly batchesById = new Map<string, Batch>();
  readonly sagasById = new Map<string, Saga & { leaseUntil: Date | null }>();
  readonly runs: StepRun[] = [];
  readonly events: CloudEvent[] = [];

  async createBatch(request: NewBatch): Promise<Batch> {
    const running = new Set(
      [...this.sagasById.values()].filter((s) => ACTIVE_SAGA_STATUSES.includes(s.status)).map((s) => s.studentId),
    );
    const skipped = request.sagas.filter((s) => running.has(s.studentId)).map((s) => s.studentId);
    const started = request.sagas.filter((s) => !running.has(s.studentId));
    if (skipped.length && (request.whenRunning === 'refuse' || !started.length))
      throw alreadyRunning(skipped, request.whenRunning);
    const batch = { ...request.batch, total: started.length, skippedRunning: skipped };
    this.batchesById.set(batch.id, batch);
    for (const saga of started) this.sagasById.set(saga.id, { ...saga, leaseUntil: null });
    this.events.push(...request.events(batch));
    return batch;
  }

  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<Saga[]> {
    const due = [...this.sagasById.values()]
      .filter(
        (s) =>
          ACTIVE_SAGA_STATUSES.includes(s.status) && s.nextAttemptAt <= now && (!s.leaseUntil || s.leaseUntil < now),
      )
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
      .slice(0, limit);
    return due.map((s) => {
      const claimed = { ...s, leaseUntil, version: s.version + 1 };
      this.sagasById.set(s.id, claimed);
      return claimed;
    });
  }

  async save(change: SagaSave): Promise<Saga | null> {
    const current = this.sagasById.get(change.saga.id);
    if (!current || current.version !== change.saga.version) return null;
    const saved = { ...change.saga, version: change.saga.version + 1 };
    this.sagasById.set(saved.id, { ...saved, leaseUntil: change.leaseUntil });
    this.runs.push(change.run);
    this.events.push(...change.events);
    const batch = this.batchesById.get(saved.batchId)!;
    if (saved.endedAt && !batch.endedAt) {
      const active = [...this.sagasById.values()].some(
        (s) => s.batchId === batch.id && ACTIVE_SAGA_STATUSES.includes(s.status),
      );
      if (!active) {
        const ended = { ...batch, endedAt: saved.endedAt };
        this.batchesById.set(batch.id, ended);
        this.events.push(
          ...change.batchEndedEvents(ended, (await this.counts([batch.id])).get(batch.id)!, saved.endedAt),
        );
      }
    }
    return saved;
  }

  async batch(id: string): Promise<Batch | null> {
    return this.batchesById.get(id) ?? null;
  }
  async batches(filter: BatchFilter, page: PageRequest): Promise<Page<Batch>> {
    const all = [...this.batchesById.values()].filter(
      (b) => !filter.requestedBy || b.requestedBy === filter.requestedBy,
    );
    return {
      items: all.slice(page.skip, page.skip + page.take),
      total: all.length,
      page: page.page,
      size: page.size,
      pages: Math.ceil(all.length / page.size),
    };
  }
  async counts(batchIds: readonly string[]): Promise<Map<string, BatchCounts>> {
    const result = new Map<string, BatchCounts>();
    for (const id of batchIds) {
      const sagas = [...this.sagasById.values()].filter((s) => s.batchId === id);
      result.set(id, {
        total: sagas.length,
        succeeded: sagas.filter((s) => s.status === 'succeeded').length,
        failed: sagas.filter((s) => s.status === 'failed').length,
        inProgress: sagas.filter((s) => ACTIVE_SAGA_STATUSES.includes(s.status)).length,
      });
    }
    return result;
  }
  async sagas(batchId: string, status: SagaStatus | null, page: PageRequest): Promise<Page<Saga>> {
    const all = [...this.sagasById.values()].filter((s) => s.batchId === batchId && (!status || s.status === status));
    return {
      items: all.slice(page.skip, page.skip + page.take),
      total: all.length,
      page: page.page,
      size: page.size,
      pages: Math.ceil(all.length / page.size),
    };
  }
  async saga(id: string): Promise<Saga | null> {
    return this.sagasById.get(id) ?? null;
  }
}

export const aStudent = (fields: Partial<Student> & { id: string }): Student => ({
  fullName: `Student ${fields.id.slice(0, 4)}`,
  room: { building: '8', entrance: 1, room: '301' },
  isStudent: true,
  entrance: { building: '8', entrance: 1 },
  ...fields,
});

export { DomainError };
