import type { BaseContext, Page, SubgraphOptions } from '@campus/platform';
import type { ListArgs } from '../../schemas/inputs';
import type { NotificationInbox } from '../../services/notification-inbox';
import type { StoredNotification } from '../../services/ports';
import { presentNotification, type NotificationView } from '../notification-view';

export interface NotificationContext extends BaseContext {
  inbox: NotificationInbox;
}

const presentPage = (page: Page<StoredNotification>): Page<NotificationView> => ({ ...page, items: page.items.map(presentNotification) });

// No DataLoader is needed: User.notifications resolves only for the caller (one user per request),
// and every other field is a single query.
export const resolvers: SubgraphOptions<NotificationContext>['resolvers'] = {
  Query: {
    myNotifications: async (_: unknown, args: ListArgs, ctx: NotificationContext) => presentPage(await ctx.inbox.mine(ctx.auth, args)),
    unreadNotificationCount: (_: unknown, __: unknown, ctx: NotificationContext) => ctx.inbox.unreadCount(ctx.auth),
  },
  Mutation: {
    markNotificationsRead: (_: unknown, args: { ids: string[] }, ctx: NotificationContext) => ctx.inbox.markRead(ctx.auth, args),
    markAllNotificationsRead: (_: unknown, __: unknown, ctx: NotificationContext) => ctx.inbox.markAllRead(ctx.auth),
    createNotificationStreamTicket: (_: unknown, __: unknown, ctx: NotificationContext) => ctx.inbox.createStreamTicket(ctx.auth),
  },
  User: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    notifications: async (user: { id: string }, args: ListArgs, ctx: NotificationContext) =>
      presentPage(await ctx.inbox.ofUser(ctx.auth, user.id, args)),
  },
};
