import { DateTimeScalar, parseInput, type Resolvers } from '@campus/platform';
import type { Batch, Saga } from '../../domain/records';
import { batchIdSchema, checkOutCohortSchema, checkOutSchema, sagaStatusSchema } from '../../schemas/checkout';
import type { CheckoutContext } from './context';

/**
 * Transport only: parse arguments with schemas/, call a service, shape the result (statuses and
 * steps in UPPER case, users as references identity resolves).
 */
type PageArgs = { page?: number | null; size?: number | null };
const upper = (value: string) => value.toUpperCase();
const roomLabel = (saga: Saga) => (saga.room ? `${saga.room.building}-${saga.room.entrance}-${saga.room.room}` : null);

export const resolvers: Resolvers<CheckoutContext> = {
  DateTime: DateTimeScalar,

  Query: {
    checkOutBatch: (_: unknown, args: { id: string }, ctx: CheckoutContext) =>
      ctx.services.queries.batch(ctx.auth, parseInput(batchIdSchema, args).id),
    checkOutBatches: (_: unknown, args: PageArgs & { mine?: boolean | null }, ctx: CheckoutContext) =>
      ctx.services.queries.batches(ctx.auth, { mine: args.mine ?? false, page: args.page, size: args.size }),
  },

  Mutation: {
    checkOut: (_: unknown, args: { userIds: string[]; reason: string }, ctx: CheckoutContext) =>
      ctx.services.requests.checkOut(ctx.auth, parseInput(checkOutSchema, args)),
    checkOutCohort: (_: unknown, args: Record<string, unknown>, ctx: CheckoutContext) =>
      ctx.services.requests.checkOutCohort(ctx.auth, parseInput(checkOutCohortSchema, args)),
  },

  CheckOutBatch: {
    requestedBy: (batch: Batch) => ({ __typename: 'User', id: batch.requestedBy }),
    skippedRunning: (batch: Batch) => batch.skippedRunning.map((id) => ({ __typename: 'User', id })),
    succeeded: async (batch: Batch, _: unknown, ctx: CheckoutContext) =>
      (await ctx.loaders.counts.load(batch.id)).succeeded,
    failed: async (batch: Batch, _: unknown, ctx: CheckoutContext) => (await ctx.loaders.counts.load(batch.id)).failed,
    inProgress: async (batch: Batch, _: unknown, ctx: CheckoutContext) =>
      (await ctx.loaders.counts.load(batch.id)).inProgress,
    items: (batch: Batch, args: PageArgs & { status?: string | null }, ctx: CheckoutContext) =>
      ctx.services.queries.items(batch.id, {
        status: parseInput(sagaStatusSchema, args.status),
        page: args.page,
        size: args.size,
      }),
  },

  CheckOutItem: {
    checkoutId: (saga: Saga) => saga.id,
    student: (saga: Saga) => ({ __typename: 'User', id: saga.studentId }),
    room: roomLabel,
    status: (saga: Saga) => upper(saga.status),
    step: (saga: Saga) => upper(saga.step),
    compensating: (saga: Saga) =>
      saga.status === 'compensating' && saga.toCompensate[0] ? upper(saga.toCompensate[0]) : null,
    doneSteps: (saga: Saga) => saga.done.map(upper),
    compensatedSteps: (saga: Saga) => saga.compensated.map(upper),
    failureCode: (saga: Saga) => saga.failure?.code ?? null,
    failureReason: (saga: Saga) => saga.failure?.reason ?? null,
    attempts: (saga: Saga) => saga.attempt,
    nextAttemptAt: (saga: Saga) => (saga.endedAt ? null : saga.nextAttemptAt),
  },
};
