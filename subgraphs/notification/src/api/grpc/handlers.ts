import { notificationService, toTimestamp } from '@campus/contracts';
import { grpcService, type GrpcServiceBinding } from '@campus/platform';
import type { NotificationInbox } from '../../services/notification-inbox';
import type { StoredNotification } from '../../services/ports';

function toProto(n: StoredNotification) {
  return {
    id: n.id,
    key: n.key,
    title: n.title,
    body: n.body,
    dataJson: JSON.stringify(n.data),
    createdAt: toTimestamp(n.createdAt),
    readAt: n.readAt ? toTimestamp(n.readAt) : null,
  };
}

/** campus.notification.v1.NotificationService (proto/campus/notification/v1/notification.proto). */
export function notificationGrpcService(inbox: NotificationInbox): GrpcServiceBinding {
  return grpcService(notificationService, {
    CountUnread: async (request) => ({ count: await inbox.unreadCountFor(request.userId) }),
    ListForUser: async (request) => {
      // proto3 has no "absent" for scalars: 0 means the default.
      const page = await inbox.pageFor(request.userId, {
        unreadOnly: request.unreadOnly,
        page: request.page || null,
        size: request.size || null,
      });
      return { notifications: page.items.map(toProto), total: page.total, page: page.page, size: page.size, pages: page.pages };
    },
  });
}
