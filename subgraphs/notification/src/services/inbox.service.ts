import {
  forbidden,
  pageOf,
  pageRequest,
  requireAuth,
  secureToken,
  sha256Hex,
  systemClock,
  type AuthContext,
  type Clock,
  type Page,
} from '@campus/platform';
import { streamTicketInvalid } from '../domain/errors';
import type { NotificationQuery, StoredNotification } from '../domain/notification';
import type { NotificationStore } from './ports';

/** Whom a redeemed ticket opens the stream for, and when that stream must end. */
export interface StreamTicketHolder {
  userId: string;
  credentialsExpireAt: Date;
}

/** How many missed notifications a reconnecting stream gets replayed at most. */
export const MAX_REPLAYED = 100;

export interface ReadResult {
  markedCount: number;
  unreadCount: number;
}

export interface NotificationInboxDeps {
  store: NotificationStore;
  ticketTtlSeconds: number;
  clock?: Clock;
}

/**
 * A person's inbox: reading, counting and marking their notifications, and the tickets that open
 * the live stream. Everyone sees only their own notifications. Arguments arrive parsed (schemas/).
 */
export class NotificationInbox {
  private readonly clock: Clock;

  constructor(private readonly deps: NotificationInboxDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /** The caller's notifications, newest first. */
  async mine(auth: AuthContext | null, query: NotificationQuery): Promise<Page<StoredNotification>> {
    return this.pageFor(requireAuth(auth).userId, query);
  }

  /** `User.notifications`: only the user themself may read them. */
  async ofUser(auth: AuthContext | null, userId: string, query: NotificationQuery): Promise<Page<StoredNotification>> {
    const caller = requireAuth(auth);
    if (caller.userId !== userId) throw forbidden('You may read only your own notifications', { userId });
    return this.pageFor(userId, query);
  }

  /** For trusted internal callers (gRPC). */
  async pageFor(userId: string, query: NotificationQuery): Promise<Page<StoredNotification>> {
    const request = pageRequest(query.page, query.size);
    const { items, total } = await this.deps.store.page(userId, query.unreadOnly ?? false, request.skip, request.take);
    return pageOf(items, total, request);
  }

  async unreadCount(auth: AuthContext | null): Promise<number> {
    return this.deps.store.countUnread(requireAuth(auth).userId);
  }

  async unreadCountFor(userId: string): Promise<number> {
    return this.deps.store.countUnread(userId);
  }

  /** Marks some of the caller's notifications read; ids of other people's or unknown ones are ignored. */
  async markRead(auth: AuthContext | null, { ids }: { ids: string[] }): Promise<ReadResult> {
    const { userId } = requireAuth(auth);
    const markedCount = await this.deps.store.markRead(userId, [...new Set(ids)], this.clock.now());
    return { markedCount, unreadCount: await this.deps.store.countUnread(userId) };
  }

  async markAllRead(auth: AuthContext | null): Promise<ReadResult> {
    const { userId } = requireAuth(auth);
    const markedCount = await this.deps.store.markAllRead(userId, this.clock.now());
    return { markedCount, unreadCount: 0 };
  }

  /**
   * A short-lived, single-use ticket that opens the caller's live stream (for EventSource, which
   * cannot send an Authorization header). Only its hash is stored, so a database leak reveals none.
   */
  async createStreamTicket(auth: AuthContext | null): Promise<string> {
    const { userId, expiresAt } = requireAuth(auth);
    const ticket = secureToken();
    const issuedAt = this.clock.now();
    // The stream a ticket opens ends when the token that asked for it expires (a token without
    // an expiry, which identity never issues, gets no more than the ticket's own lifetime).
    const ticketExpiresAt = new Date(issuedAt.getTime() + this.deps.ticketTtlSeconds * 1000);
    const credentialsExpireAt = expiresAt ?? ticketExpiresAt;
    await this.deps.store.saveStreamTicket(sha256Hex(ticket), {
      userId,
      issuedAt,
      expiresAt: ticketExpiresAt,
      credentialsExpireAt,
    });
    return ticket;
  }

  /** The user a ticket was issued to; the ticket is used up either way. */
  async redeemStreamTicket(ticket: string): Promise<string> {
    return (await this.streamTicketHolder(ticket)).userId;
  }

  /**
   * Redeems a ticket: whom it was issued to and when their stream must end (when the token that
   * created the ticket expires). The ticket is used up either way; a refusal says why
   * (details.reason: unknown, used, expired).
   */
  async streamTicketHolder(ticket: string): Promise<StreamTicketHolder> {
    const now = this.clock.now();
    const stored = await this.deps.store.useStreamTicket(sha256Hex(ticket), now);
    if (!stored) throw streamTicketInvalid('unknown');
    if (stored === 'used') throw streamTicketInvalid('used');
    if (now >= stored.expiresAt || now >= stored.credentialsExpireAt) throw streamTicketInvalid('expired');
    return { userId: stored.userId, credentialsExpireAt: stored.credentialsExpireAt };
  }

  /** Notifications a reconnecting stream missed after `lastEventId` (nothing if it is not the user's). */
  async missedSince(userId: string, lastEventId: string | undefined): Promise<StoredNotification[]> {
    if (!lastEventId) return [];
    return this.deps.store.createdAfter(userId, lastEventId, MAX_REPLAYED);
  }
}
