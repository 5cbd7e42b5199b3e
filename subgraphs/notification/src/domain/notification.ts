// A notification is a letter to one person: rendered once (Russian title and body), stored, then
// read in the inbox and pushed to the person's live streams.

export interface StoredNotification {
  id: string;
  userId: string;
  /** Stable English message key, e.g. "leave.approved". */
  key: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  eventId: string;
  createdAt: Date;
  readAt: Date | null;
}

/** A notification about to be stored (for one recipient of one event). */
export interface NotificationDraft {
  userId: string;
  key: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

/** What storing an event's notifications did: nothing (already processed) or these. */
export type RecordOutcome = { duplicate: true } | { duplicate: false; created: StoredNotification[] };

/** Which of a person's notifications to list: unread only or all, and which page (defaults apply). */
export interface NotificationQuery {
  unreadOnly?: boolean | null;
  page?: number | null;
  size?: number | null;
}

/** What a rule renders for an event: the same message for every recipient. */
export interface RenderedMessage {
  title: string;
  body: string;
  /** Ids a client needs to open the subject. */
  data: Record<string, unknown>;
}

export interface MessageContext {
  /** Full names of the users the rule `mentions`, by id. */
  names: ReadonlyMap<string, string>;
  /** An ISO instant in campus local time, e.g. "25 ноября в 18:00". */
  formatDateTime(iso: string): string;
}
