import type { StoredNotification } from '../../domain/notification';

/** A notification as clients see it, in GraphQL and on the live stream alike. */
export interface NotificationView {
  id: string;
  key: string;
  title: string;
  body: string;
  /** The ids of the subject, as an object (GraphQL's JSONObject; one JSON value on the stream). */
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
  read: boolean;
}

export function presentNotification(n: StoredNotification): NotificationView {
  return {
    id: n.id,
    key: n.key,
    title: n.title,
    body: n.body,
    data: n.data,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
    read: n.readAt !== null,
  };
}
