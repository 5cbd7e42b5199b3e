// What the use cases need from the outside world, as interfaces: the repository, the identity
// directory and the live fan-out implement them; unit tests substitute in-memory fakes.
import type { EntranceRef, Role } from '@campus/platform';
import type { NotificationDraft, RecordOutcome, StoredNotification } from '../domain/notification';
import type { DirectoryUser, EntranceResident } from '../domain/staff';

export interface NotificationStore {
  /** Early exit for redeliveries; `recordEvent` is the authoritative check. */
  wasProcessed(consumer: string, eventId: string): Promise<boolean>;
  /** Marks the event processed and stores its notifications in one transaction. */
  recordEvent(consumer: string, eventId: string, drafts: NotificationDraft[]): Promise<RecordOutcome>;
  page(
    userId: string,
    unreadOnly: boolean,
    skip: number,
    take: number,
  ): Promise<{ items: StoredNotification[]; total: number }>;
  countUnread(userId: string): Promise<number>;
  /** Marks the user's own unread notifications among `ids` read; returns how many changed. */
  markRead(userId: string, ids: string[], at: Date): Promise<number>;
  markAllRead(userId: string, at: Date): Promise<number>;
  /** The user's notifications created after `notificationId` (oldest first); empty if it is unknown. */
  createdAfter(userId: string, notificationId: string, limit: number): Promise<StoredNotification[]>;
  saveStreamTicket(tokenHash: string, ticket: StoredStreamTicket): Promise<void>;
  /**
   * Marks the ticket used at `at` and returns it (single use: of concurrent redemptions exactly one
   * gets it); `used` when it was redeemed before; null when there is no such ticket.
   */
  useStreamTicket(tokenHash: string, at: Date): Promise<StoredStreamTicket | 'used' | null>;
}

/**
 * A stream ticket as stored: whose stream it opens, when it was issued, when the ticket itself
 * expires (issued + the ticket TTL), and when the access token it was created with expires: the
 * stream it opens ends then, like a stream opened with that token.
 */
export interface StoredStreamTicket {
  userId: string;
  issuedAt: Date;
  expiresAt: Date;
  credentialsExpireAt: Date;
}

/** Who is who, answered by identity (never from copied tables). */
export interface UserDirectory {
  usersWithRole(role: Role): Promise<DirectoryUser[]>;
  usersByIds(ids: string[]): Promise<DirectoryUser[]>;
  /** The active students living in `entrance`, with their rooms (one identity call). */
  residentsOf(entrance: EntranceRef): Promise<EntranceResident[]>;
}

/** Hands freshly stored notifications to every instance for live delivery. */
export interface LivePublisher {
  publish(notifications: StoredNotification[]): Promise<void>;
}
