// Test doubles for the service's ports: an in-memory patrol store with the same contract as the
// Prisma repository (atomic create, per-patrol unit of work), and scriptable identity/leave.
import type { AuthContext, CloudEvent, Role } from '@campus/platform';
import type {
  CoveringLeave,
  EntryMark,
  EntryRecord,
  PatrolFilter,
  PatrolRecord,
  Resident,
} from '../../src/domain/patrol';
import type { LeaveRegistry, PatrolStore, PatrolUnitOfWork, ResidentDirectory } from '../../src/services/ports';

export class MemoryStore implements PatrolStore {
  readonly patrols = new Map<string, PatrolRecord>();
  readonly entries = new Map<string, EntryRecord>();
  readonly outbox: CloudEvent[] = [];

  async findPatrols(ids: readonly string[]): Promise<PatrolRecord[]> {
    return ids.flatMap((id) => (this.patrols.has(id) ? [{ ...this.patrols.get(id)! }] : []));
  }

  async findPatrolByKey(date: string, building: string, entrance: number): Promise<PatrolRecord | null> {
    return this.byKey(date, building, entrance);
  }

  /** Synchronous, so a check-then-insert cannot interleave (like the unique index). */
  private byKey(date: string, building: string, entrance: number): PatrolRecord | null {
    return (
      [...this.patrols.values()].find((p) => p.date === date && p.building === building && p.entrance === entrance) ??
      null
    );
  }

  async listPatrols(filter: PatrolFilter, skip: number, take: number) {
    const matching = [...this.patrols.values()]
      .filter(
        (p) =>
          (filter.date === undefined || p.date === filter.date) &&
          (filter.building === undefined || p.building === filter.building) &&
          (filter.entrance === undefined || p.entrance === filter.entrance) &&
          (filter.status === undefined || p.status === filter.status),
      )
      .sort((a, b) => b.date.localeCompare(a.date));
    return { items: matching.slice(skip, skip + take), total: matching.length };
  }

  async entriesOf(patrolIds: readonly string[]): Promise<EntryRecord[]> {
    return [...this.entries.values()].filter((e) => patrolIds.includes(e.patrolId)).map((e) => ({ ...e }));
  }

  async findEntry(id: string): Promise<EntryRecord | null> {
    const entry = this.entries.get(id);
    return entry ? { ...entry } : null;
  }

  async createPatrol(patrol: PatrolRecord, entries: readonly EntryRecord[], events: readonly CloudEvent[]) {
    if (this.byKey(patrol.date, patrol.building, patrol.entrance)) return 'duplicate' as const;
    this.patrols.set(patrol.id, { ...patrol });
    for (const entry of entries) this.entries.set(entry.id, { ...entry });
    this.outbox.push(...events);
    return 'created' as const;
  }

  /** Runs the work against copies and applies them only if it succeeds (a rollback otherwise). */
  async withLockedPatrol<T>(patrolId: string, work: (uow: PatrolUnitOfWork) => Promise<T>): Promise<T> {
    const patrols = new Map(this.patrols);
    const entries = new Map(this.entries);
    const outbox: CloudEvent[] = [];
    const patrol = patrols.get(patrolId) ?? null;
    const uow: PatrolUnitOfWork = {
      patrol: patrol ? { ...patrol } : null,
      entries: async () => [...entries.values()].filter((e) => e.patrolId === patrolId).map((e) => ({ ...e })),
      markEntry: async (entryId: string, mark: EntryMark) => {
        const updated = { ...entries.get(entryId)!, ...mark };
        entries.set(entryId, updated);
        return { ...updated };
      },
      addEntry: async (entry: EntryRecord) => {
        if ([...entries.values()].some((e) => e.patrolId === patrolId && e.studentId === entry.studentId)) {
          throw new Error('unique violation');
        }
        entries.set(entry.id, { ...entry });
        return { ...entry };
      },
      complete: async (by: string, at: Date) => {
        const completed = { ...patrols.get(patrolId)!, status: 'completed' as const, completedBy: by, completedAt: at };
        patrols.set(patrolId, completed);
        return { ...completed };
      },
      delete: async () => {
        patrols.delete(patrolId);
        for (const [id, e] of entries) if (e.patrolId === patrolId) entries.delete(id);
      },
      enqueue: async (events: readonly CloudEvent[]) => {
        outbox.push(...events);
      },
    };
    const result = await work(uow);
    this.patrols.clear();
    for (const [k, v] of patrols) this.patrols.set(k, v);
    this.entries.clear();
    for (const [k, v] of entries) this.entries.set(k, v);
    this.outbox.push(...outbox);
    return result;
  }
}

/** A promise whose settlement the test controls. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export class FakeDirectory implements ResidentDirectory {
  residents: Resident[] = [];
  failure: Error | undefined;
  /** When set, calls wait for it before answering. */
  gate: Promise<void> | undefined;
  calls: string[] = [];
  /** Entrances ("8/5") identity's layout lacks; every other one exists, with or without residents. */
  missingEntrances: string[] = [];

  async minorResidents(building: string, entrance: number): Promise<Resident[] | null> {
    this.calls.push(`minorResidents ${building}/${entrance}`);
    await this.gate;
    if (this.failure) throw this.failure;
    if (this.missingEntrances.includes(`${building}/${entrance}`)) return null;
    // Ignores minors_only on purpose: the service itself must never list an adult.
    return this.residents.filter((r) => r.building === building && r.entrance === entrance && r.isActive);
  }

  async findUser(id: string): Promise<Resident | null> {
    this.calls.push(`findUser ${id}`);
    await this.gate;
    if (this.failure) throw this.failure;
    return this.residents.find((r) => r.id === id) ?? null;
  }
}

export class FakeLeaves implements LeaveRegistry {
  leaves: CoveringLeave[] = [];
  failure: Error | undefined;
  gate: Promise<void> | undefined;
  calls: { at: Date; studentIds: readonly string[] | undefined }[] = [];

  async approvedLeavesAt(at: Date, studentIds?: readonly string[]): Promise<CoveringLeave[]> {
    this.calls.push({ at, studentIds });
    await this.gate;
    if (this.failure) throw this.failure;
    return this.leaves.filter((l) => !studentIds || studentIds.includes(l.studentId));
  }
}

let counter = 0;
/** Deterministic UUIDs for readable assertions. */
export const uuid = (n = ++counter): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function resident(overrides: Partial<Resident> & { id: string }): Resident {
  return {
    fullName: `Student ${overrides.id.slice(-4)}`,
    building: '8',
    entrance: 1,
    room: '101',
    isMinor: true,
    isActive: true,
    ...overrides,
  };
}

export function caller(
  roles: Role[],
  residence: { building: string; entrance: number } | null = null,
  userId = uuid(),
): AuthContext {
  return {
    userId,
    roles,
    residence: residence ? { ...residence, floor: 1, room: '101' } : null,
    isMinor: false,
    entrances: [],
    token: 'test-token',
  };
}
