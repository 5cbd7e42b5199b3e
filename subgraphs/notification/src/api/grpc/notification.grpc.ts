import { notificationService, toTimestamp } from '@campus/contracts';
import { grpcService, parseInput, type GrpcServiceBinding } from '@campus/platform';
import type { StoredNotification } from '../../domain/notification';
import { listArgsSchema, userIdSchema } from '../../schemas/inputs';
import type { NotificationServices } from '../../services';

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

const parseUserId = (value: unknown): string => parseInput(userIdSchema, value, 'Invalid user id');

/** campus.notification.v1.NotificationService (proto/campus/notification/v1/notification.proto). */
export function notificationGrpcService({ inbox }: NotificationServices): GrpcServiceBinding {
  return grpcService(notificationService, {
    CountUnread: async (request) => ({ count: await inbox.unreadCountFor(parseUserId(request.userId)) }),
    ListForUser: async (request) => {
      const userId = parseUserId(request.userId);
      // proto3 has no "absent" for scalars: 0 means the default.
      const query = parseInput(listArgsSchema, {
        unreadOnly: request.unreadOnly,
        page: request.page || null,
        size: request.size || null,
      });
      const page = await inbox.pageFor(userId, query);
      return {
        notifications: page.items.map(toProto),
        total: page.total,
        page: page.page,
        size: page.size,
        pages: page.pages,
      };
    },
  });
}
