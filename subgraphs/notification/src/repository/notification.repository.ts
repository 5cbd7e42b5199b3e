import { inboxHas, withInbox } from '@campus/platform';
import type { NotificationDraft, RecordOutcome, StoredNotification } from '../domain/notification';
import type { NotificationStore, StoredStreamTicket } from '../services/ports';
import type { Notification, Prisma, PrismaClient } from './database';

function toStored(row: Notification): StoredNotification {
  const data =
    row.data && typeof row.data === 'object' && !Array.isArray(row.data) ? (row.data as Record<string, unknown>) : {};
  return {
    id: row.id,
    userId: row.userId,
    key: row.key,
    title: row.title,
    body: row.body,
    data,
    eventId: row.eventId,
    createdAt: row.createdAt,
    readAt: row.readAt,
  };
}

const newestFirst = [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.NotificationOrderByWithRelationInput[];

/** Notifications, the consumer inbox and stream tickets in campus_notification (Prisma). */
export class PrismaNotificationStore implements NotificationStore {
  constructor(private readonly prisma: PrismaClient) {}

  wasProcessed(consumer: string, eventId: string): Promise<boolean> {
    return inboxHas(this.prisma, consumer, eventId);
  }

  async recordEvent(consumer: string, eventId: string, drafts: NotificationDraft[]): Promise<RecordOutcome> {
    const outcome = await withInbox(this.prisma, consumer, eventId, async (tx) => {
      if (!drafts.length) return [];
      // skipDuplicates: the (event_id, user_id) unique index backs the inbox up.
      return tx.notification.createManyAndReturn({
        data: drafts.map((d) => ({
          userId: d.userId,
          key: d.key,
          title: d.title,
          body: d.body,
          data: d.data as Prisma.InputJsonObject,
          eventId,
        })),
        skipDuplicates: true,
      });
    });
    return outcome.duplicate ? { duplicate: true } : { duplicate: false, created: outcome.result.map(toStored) };
  }

  async page(
    userId: string,
    unreadOnly: boolean,
    skip: number,
    take: number,
  ): Promise<{ items: StoredNotification[]; total: number }> {
    const where: Prisma.NotificationWhereInput = unreadOnly ? { userId, readAt: null } : { userId };
    const [rows, total] = await Promise.all([
      this.prisma.notification.findMany({ where, orderBy: newestFirst, skip, take }),
      this.prisma.notification.count({ where }),
    ]);
    return { items: rows.map(toStored), total };
  }

  countUnread(userId: string): Promise<number> {
    return this.prisma.notification.count({ where: { userId, readAt: null } });
  }

  async markRead(userId: string, ids: string[], at: Date): Promise<number> {
    const { count } = await this.prisma.notification.updateMany({
      where: { userId, id: { in: ids }, readAt: null },
      data: { readAt: at },
    });
    return count;
  }

  async markAllRead(userId: string, at: Date): Promise<number> {
    const { count } = await this.prisma.notification.updateMany({
      where: { userId, readAt: null },
      data: { readAt: at },
    });
    return count;
  }

  async createdAfter(userId: string, notificationId: string, limit: number): Promise<StoredNotification[]> {
    const last = await this.prisma.notification.findFirst({
      where: { id: notificationId, userId },
      select: { createdAt: true, id: true },
    });
    if (!last) return [];
    const rows = await this.prisma.notification.findMany({
      where: {
        userId,
        OR: [{ createdAt: { gt: last.createdAt } }, { createdAt: last.createdAt, id: { gt: last.id } }],
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map(toStored);
  }

  // stream_tickets.created_at holds when the ticket was issued and expires_at when the access
  // token it was created with expires: the row is useless after expires_at (purged from then on).
  async saveStreamTicket(tokenHash: string, ticket: StoredStreamTicket): Promise<void> {
    // Housekeeping on the side: expired tickets are useless (indexed on expires_at).
    await this.prisma.$transaction([
      this.prisma.streamTicket.deleteMany({ where: { expiresAt: { lt: new Date() } } }),
      this.prisma.streamTicket.create({
        data: { tokenHash, userId: ticket.userId, createdAt: ticket.issuedAt, expiresAt: ticket.credentialsExpireAt },
      }),
    ]);
  }

  async takeStreamTicket(tokenHash: string): Promise<StoredStreamTicket | null> {
    // DELETE … RETURNING: of two concurrent redemptions exactly one gets the row.
    const rows = await this.prisma.$queryRaw<Array<{ user_id: string; created_at: Date; expires_at: Date }>>`
      DELETE FROM stream_tickets WHERE token_hash = ${tokenHash} RETURNING user_id::text, created_at, expires_at`;
    const row = rows[0];
    return row ? { userId: row.user_id, issuedAt: row.created_at, credentialsExpireAt: row.expires_at } : null;
  }
}
