// In-memory stand-ins for the service's ports, for unit tests of the business rules.
import { randomUUID } from 'node:crypto';
import type { EntranceRef, Role } from '@campus/platform';
import type { NotificationDraft, RecordOutcome, StoredNotification } from '../../src/domain/notification';
import type { DirectoryUser, EntranceResident } from '../../src/domain/staff';
import type { LivePublisher, NotificationStore, StoredStreamTicket, UserDirectory } from '../../src/services/ports';

export class MemoryStore implements NotificationStore {
  readonly notifications: StoredNotification[] = [];
  readonly inbox = new Set<string>();
  readonly tickets = new Map<string, StoredStreamTicket>();
  private tick = 0;

  async wasProcessed(consumer: string, eventId: string): Promise<boolean> {
    return this.inbox.has(`${consumer}/${eventId}`);
  }

  async recordEvent(consumer: string, eventId: string, drafts: NotificationDraft[]): Promise<RecordOutcome> {
    const key = `${consumer}/${eventId}`;
    if (this.inbox.has(key)) return { duplicate: true };
    this.inbox.add(key);
    const created = drafts.map((d) => ({
      ...d,
      id: randomUUID(),
      eventId,
      createdAt: new Date(Date.UTC(2026, 10, 25, 12, 0, this.tick++)),
      readAt: null,
    }));
    this.notifications.push(...created);
    return { duplicate: false, created };
  }

  private of(userId: string, unreadOnly = false): StoredNotification[] {
    return this.notifications
      .filter((n) => n.userId === userId && (!unreadOnly || n.readAt === null))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  async page(userId: string, unreadOnly: boolean, skip: number, take: number) {
    const all = this.of(userId, unreadOnly);
    return { items: all.slice(skip, skip + take), total: all.length };
  }

  async countUnread(userId: string): Promise<number> {
    return this.of(userId, true).length;
  }

  async markRead(userId: string, ids: string[], at: Date): Promise<number> {
    const targets = this.of(userId, true).filter((n) => ids.includes(n.id));
    for (const n of targets) n.readAt = at;
    return targets.length;
  }

  async markAllRead(userId: string, at: Date): Promise<number> {
    const targets = this.of(userId, true);
    for (const n of targets) n.readAt = at;
    return targets.length;
  }

  async createdAfter(userId: string, notificationId: string, limit: number): Promise<StoredNotification[]> {
    const mine = this.of(userId).reverse();
    const i = mine.findIndex((n) => n.id === notificationId);
    return i < 0 ? [] : mine.slice(i + 1, i + 1 + limit);
  }

  async saveStreamTicket(tokenHash: string, ticket: StoredStreamTicket): Promise<void> {
    this.tickets.set(tokenHash, ticket);
  }

  readonly usedTickets = new Map<string, Date>();

  async useStreamTicket(tokenHash: string, at: Date): Promise<StoredStreamTicket | 'used' | null> {
    const ticket = this.tickets.get(tokenHash);
    if (!ticket) return null;
    if (this.usedTickets.has(tokenHash)) return 'used';
    this.usedTickets.set(tokenHash, at);
    return ticket;
  }
}

/** A student of `entrance` living in `room`, as identity's residents of an entrance answer. */
export interface MemoryResident extends EntranceResident {
  entrance: EntranceRef;
}

export class MemoryDirectory implements UserDirectory {
  readonly calls: string[] = [];

  constructor(
    readonly users: DirectoryUser[],
    readonly residents: MemoryResident[] = [],
  ) {}

  async residentsOf(entrance: EntranceRef): Promise<EntranceResident[]> {
    this.calls.push(`residents:${entrance.building}/${entrance.entrance}`);
    return this.residents
      .filter((r) => r.entrance.building === entrance.building && r.entrance.entrance === entrance.entrance)
      .map(({ id, room }) => ({ id, room }));
  }

  async usersWithRole(role: Role): Promise<DirectoryUser[]> {
    this.calls.push(`role:${role}`);
    return this.users.filter((u) => u.roles.includes(role));
  }

  async usersByIds(ids: string[]): Promise<DirectoryUser[]> {
    this.calls.push(`ids:${ids.join(',')}`);
    return this.users.filter((u) => ids.includes(u.id));
  }
}

export class RecordingLive implements LivePublisher {
  readonly published: StoredNotification[][] = [];
  failWith: Error | undefined;

  async publish(notifications: StoredNotification[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.published.push(notifications);
  }
}

export const user = (
  fullName: string,
  roles: Role[],
  assignedEntrances: { building: string; entrance: number }[] = [],
  residence: { building: string; entrance: number } | null = null,
): DirectoryUser => ({ id: randomUUID(), fullName, roles, assignedEntrances, residence });
