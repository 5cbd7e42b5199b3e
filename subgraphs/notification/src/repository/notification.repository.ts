import type pg from 'pg';
import { inboxClaim, inboxHasOnPool } from '@campus/platform';
import type { NotificationDraft, RecordOutcome, StoredNotification } from '../domain/notification';
import type { NotificationStore, StoredStreamTicket } from '../services/ports';
import type { Notification, PrismaClient } from './database';

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

/** How long a stream ticket row outlives its expiry (reuse answered `used`/`expired`, not `unknown`). */
const TICKET_KEPT_AFTER_EXPIRY_MS = 60 * 60_000;

/** A notification row's columns, named as Prisma names them (so every read maps through toStored). */
const NOTIFICATION_COLUMNS = `id, user_id::text AS "userId", key, title, body, data, event_id AS "eventId",
  created_at AS "createdAt", read_at AS "readAt"`;

/**
 * The reads and the "mark all read" a client's inbox makes on every refresh, as named statements
 * (parsed and planned once per connection); Prisma 6.19 compiles each operation anew, ~1.5 ms of
 * CPU each, and a student's home screen made three. One statement per filter, so that each keeps
 * its own plan on its index ((user_id, created_at DESC) or (user_id, read_at, created_at DESC)).
 */
const inboxWhere = (unreadOnly: boolean) => `user_id = $1${unreadOnly ? ' AND read_at IS NULL' : ''}`;
const inboxPage = (unreadOnly: boolean) => ({
  name: `notification.page${unreadOnly ? '.unread' : ''}`,
  text: `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE ${inboxWhere(unreadOnly)}
    ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT $3`,
});
const inboxCount = (unreadOnly: boolean) => ({
  name: `notification.count${unreadOnly ? '.unread' : ''}`,
  text: `SELECT count(*)::int AS total FROM notifications WHERE ${inboxWhere(unreadOnly)}`,
});
const INBOX_SQL = {
  page: { all: inboxPage(false), unread: inboxPage(true) },
  count: { all: inboxCount(false), unread: inboxCount(true) },
  markAllRead: {
    name: 'notification.mark-all-read',
    text: 'UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL',
  },
};

/**
 * Records an event: claims it in the inbox and inserts its notifications in ONE statement (atomic;
 * the notifications are selected from the claim, so a duplicate inserts nothing). `claimed` is on
 * every row; a claim without notifications gives one row of nulls.
 */
const RECORD_EVENT = `
  WITH claimed AS (${inboxClaim('$1', '$2')}),
  created AS (
    INSERT INTO notifications (id, user_id, key, title, body, data, event_id)
    SELECT gen_random_uuid(), d.user_id, d.key, d.title, d.body, d.data, claimed.event_id
      FROM claimed, jsonb_to_recordset($3::jsonb) AS d(user_id uuid, key text, title text, body text, data jsonb)
    -- the (event_id, user_id) unique index backs the inbox up
    ON CONFLICT (event_id, user_id) DO NOTHING
    RETURNING ${NOTIFICATION_COLUMNS}
  )
  SELECT (SELECT count(*) FROM claimed)::int AS claimed, created.*
    FROM (SELECT 1) AS one LEFT JOIN created ON true`;

/** A created notification, columns named as Prisma names them; a claim without any has id null. */
type RecordedRow = { claimed: number } & (Notification | { id: null });

/**
 * Notifications, the consumer inbox and stream tickets in campus_notification. The consumer's
 * per-event statements (the inbox check and the record) are plain SQL on the pool: they run for
 * every event of the campus, and Prisma 6.19 compiles each operation anew (measured ~30 % of the
 * service's CPU under the submission benchmark); so are the inbox page, the unread count and
 * "mark all read", which every refresh of a client makes. The rest stays on Prisma.
 */
export class PrismaNotificationStore implements NotificationStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pool: pg.Pool,
  ) {}

  wasProcessed(consumer: string, eventId: string): Promise<boolean> {
    return inboxHasOnPool(this.pool, consumer, eventId);
  }

  async recordEvent(consumer: string, eventId: string, drafts: NotificationDraft[]): Promise<RecordOutcome> {
    const letters = drafts.map((d) => ({ user_id: d.userId, key: d.key, title: d.title, body: d.body, data: d.data }));
    const { rows } = await this.pool.query<RecordedRow>({
      name: 'notification.record-event', // prepared once per connection
      text: RECORD_EVENT,
      values: [consumer, eventId, JSON.stringify(letters)],
    });
    if (!rows[0]?.claimed) return { duplicate: true };
    const created = rows.flatMap((row) => (row.id === null ? [] : [toStored(row)]));
    return { duplicate: false, created };
  }

  async page(
    userId: string,
    unreadOnly: boolean,
    skip: number,
    take: number,
  ): Promise<{ items: StoredNotification[]; total: number }> {
    const filter = unreadOnly ? 'unread' : 'all';
    const [rows, count] = await Promise.all([
      this.pool.query<Notification>({ ...INBOX_SQL.page[filter], values: [userId, skip, take] }),
      this.pool.query<{ total: number }>({ ...INBOX_SQL.count[filter], values: [userId] }),
    ]);
    return { items: rows.rows.map(toStored), total: count.rows[0]?.total ?? 0 };
  }

  async countUnread(userId: string): Promise<number> {
    const { rows } = await this.pool.query<{ total: number }>({ ...INBOX_SQL.count.unread, values: [userId] });
    return rows[0]?.total ?? 0;
  }

  async markRead(userId: string, ids: string[], at: Date): Promise<number> {
    const { count } = await this.prisma.notification.updateMany({
      where: { userId, id: { in: ids }, readAt: null },
      data: { readAt: at },
    });
    return count;
  }

  async markAllRead(userId: string, at: Date): Promise<number> {
    const { rowCount } = await this.pool.query({ ...INBOX_SQL.markAllRead, values: [userId, at] });
    return rowCount ?? 0;
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

  async saveStreamTicket(tokenHash: string, ticket: StoredStreamTicket): Promise<void> {
    // Housekeeping on the side (indexed on expires_at): a ticket is kept a while after it expired,
    // so its reuse is still answered `used` or `expired` rather than `unknown`.
    const purgeBefore = new Date(ticket.issuedAt.getTime() - TICKET_KEPT_AFTER_EXPIRY_MS);
    await this.prisma.$transaction([
      this.prisma.streamTicket.deleteMany({ where: { expiresAt: { lt: purgeBefore } } }),
      this.prisma.streamTicket.create({
        data: {
          tokenHash,
          userId: ticket.userId,
          createdAt: ticket.issuedAt,
          expiresAt: ticket.expiresAt,
          credentialsExpireAt: ticket.credentialsExpireAt,
        },
      }),
    ]);
  }

  async useStreamTicket(tokenHash: string, at: Date): Promise<StoredStreamTicket | 'used' | null> {
    // UPDATE … WHERE used_at IS NULL: of two concurrent redemptions exactly one gets the row; the
    // other waits for it and then finds the ticket used.
    const used = await this.prisma.$queryRaw<
      Array<{ user_id: string; created_at: Date; expires_at: Date; credentials_expire_at: Date }>
    >`
      UPDATE stream_tickets SET used_at = ${at} WHERE token_hash = ${tokenHash} AND used_at IS NULL
      RETURNING user_id::text, created_at, expires_at, credentials_expire_at`;
    const row = used[0];
    if (row) {
      return {
        userId: row.user_id,
        issuedAt: row.created_at,
        expiresAt: row.expires_at,
        credentialsExpireAt: row.credentials_expire_at,
      };
    }
    const known = await this.prisma.streamTicket.findUnique({ where: { tokenHash }, select: { usedAt: true } });
    return known ? 'used' : null;
  }
}
