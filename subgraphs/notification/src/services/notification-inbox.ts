import { createHash, randomBytes } from 'node:crypto';
import { forbidden, pageOf, pageRequest, requireAuth, unauthenticated, type AuthContext, type Page } from '@campus/platform';
import {
  lastEventIdSchema,
  listArgsSchema,
  markReadArgsSchema,
  parseInput,
  streamTicketSchema,
  userIdSchema,
  type ListArgs,
  type MarkReadArgs,
} from '../schemas/inputs';
import type { NotificationStore, StoredNotification } from './ports';

export const STREAM_TICKET_INVALID = 'NOTIF_STREAM_TICKET_INVALID';

/** How many missed notifications a reconnecting stream gets replayed at most. */
export const MAX_REPLAYED = 100;

export interface ReadResult {
  markedCount: number;
  unreadCount: number;
}

export interface NotificationInboxDeps {
  store: NotificationStore;
  ticketTtlSeconds: number;
  clock?: () => Date;
}

const hashTicket = (ticket: string): string => createHash('sha256').update(ticket).digest('hex');

/**
 * A person's inbox: reading, counting and marking their notifications, and the tickets that open
 * the live stream. Everyone sees only their own notifications.
 */
export class NotificationInbox {
  private readonly now: () => Date;

  constructor(private readonly deps: NotificationInboxDeps) {
    this.now = deps.clock ?? (() => new Date());
  }

  /** The caller's notifications, newest first. */
  async mine(auth: AuthContext | null, args: ListArgs): Promise<Page<StoredNotification>> {
    return this.pageFor(requireAuth(auth).userId, args);
  }

  /** `User.notifications`: only the user themself may read them. */
  async ofUser(auth: AuthContext | null, userId: string, args: ListArgs): Promise<Page<StoredNotification>> {
    const caller = requireAuth(auth);
    if (caller.userId !== userId) throw forbidden("You may read only your own notifications", { userId });
    return this.pageFor(userId, args);
  }

  /** For trusted internal callers (gRPC). */
  async pageFor(userId: string, args: ListArgs): Promise<Page<StoredNotification>> {
    const id = parseInput(userIdSchema, userId, 'Invalid user id');
    const { unreadOnly, page, size } = parseInput(listArgsSchema, args);
    const request = pageRequest(page, size);
    const { items, total } = await this.deps.store.page(id, unreadOnly ?? false, request.skip, request.take);
    return pageOf(items, total, request);
  }

  async unreadCount(auth: AuthContext | null): Promise<number> {
    return this.deps.store.countUnread(requireAuth(auth).userId);
  }

  async unreadCountFor(userId: string): Promise<number> {
    return this.deps.store.countUnread(parseInput(userIdSchema, userId, 'Invalid user id'));
  }

  /** Marks some of the caller's notifications read; ids of other people's or unknown ones are ignored. */
  async markRead(auth: AuthContext | null, args: MarkReadArgs): Promise<ReadResult> {
    const { userId } = requireAuth(auth);
    const { ids } = parseInput(markReadArgsSchema, args);
    const markedCount = await this.deps.store.markRead(userId, [...new Set(ids)], this.now());
    return { markedCount, unreadCount: await this.deps.store.countUnread(userId) };
  }

  async markAllRead(auth: AuthContext | null): Promise<ReadResult> {
    const { userId } = requireAuth(auth);
    const markedCount = await this.deps.store.markAllRead(userId, this.now());
    return { markedCount, unreadCount: 0 };
  }

  /**
   * A short-lived, single-use ticket that opens the caller's live stream (for EventSource, which
   * cannot send an Authorization header). Only its hash is stored, so a database leak reveals none.
   */
  async createStreamTicket(auth: AuthContext | null): Promise<string> {
    const { userId } = requireAuth(auth);
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + this.deps.ticketTtlSeconds * 1000);
    await this.deps.store.saveStreamTicket(hashTicket(ticket), userId, expiresAt);
    return ticket;
  }

  /** The user a ticket was issued to; the ticket is used up either way. */
  async redeemStreamTicket(ticket: string): Promise<string> {
    const invalid = () => unauthenticated('The stream ticket is not valid or has expired', { reason: 'invalid' }, STREAM_TICKET_INVALID);
    if (!streamTicketSchema.safeParse(ticket).success) throw invalid();
    const stored = await this.deps.store.takeStreamTicket(hashTicket(ticket));
    if (!stored || stored.expiresAt.getTime() <= this.now().getTime()) throw invalid();
    return stored.userId;
  }

  /** Notifications a reconnecting stream missed after `lastEventId` (nothing if it is not the user's). */
  async missedSince(userId: string, lastEventId: string | undefined): Promise<StoredNotification[]> {
    if (!lastEventId || !lastEventIdSchema.safeParse(lastEventId).success) return [];
    return this.deps.store.createdAfter(userId, lastEventId, MAX_REPLAYED);
  }
}
