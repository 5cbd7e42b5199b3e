// GraphQL transport: parse arguments (schemas/), call the inbox, shape the answer. No rules here.
import { DateTimeScalar, JSONObjectScalar, parseInput, type Page, type Resolvers } from '@campus/platform';
import type { StoredNotification } from '../../domain/notification';
import { listArgsSchema, markReadArgsSchema } from '../../schemas/inputs';
import type { NotificationContext } from './context';
import { presentNotification, type NotificationView } from './notification.view';

type Ctx = NotificationContext;

const presentPage = (page: Page<StoredNotification>): Page<NotificationView> => ({
  ...page,
  items: page.items.map(presentNotification),
});

export const resolvers: Resolvers<Ctx> = {
  DateTime: DateTimeScalar,
  JSONObject: JSONObjectScalar,
  Query: {
    myNotifications: async (_: unknown, args: unknown, ctx: Ctx) =>
      presentPage(await ctx.services.inbox.mine(ctx.auth, parseInput(listArgsSchema, args))),
    unreadNotificationCount: (_: unknown, __: unknown, ctx: Ctx) => ctx.services.inbox.unreadCount(ctx.auth),
  },
  Mutation: {
    markNotificationsRead: (_: unknown, args: unknown, ctx: Ctx) =>
      ctx.services.inbox.markRead(ctx.auth, parseInput(markReadArgsSchema, args)),
    markAllNotificationsRead: (_: unknown, __: unknown, ctx: Ctx) => ctx.services.inbox.markAllRead(ctx.auth),
    createNotificationStreamTicket: (_: unknown, __: unknown, ctx: Ctx) =>
      ctx.services.inbox.createStreamTicket(ctx.auth),
  },
  User: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    notifications: async (user: { id: string }, args: unknown, ctx: Ctx) =>
      presentPage(await ctx.services.inbox.ofUser(ctx.auth, user.id, parseInput(listArgsSchema, args))),
  },
};
