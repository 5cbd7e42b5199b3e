// GraphQL transport only: parse arguments (schemas/), call the service, shape the answer.
import { DateScalar, DateTimeScalar, parseInput, type Resolvers } from '@campus/platform';
import type { EntryRecord, PatrolRecord } from '../../domain/patrol';
import { progressOf, visibleReason } from '../../domain/rules';
import {
  addEntrySchema,
  listPatrolsSchema,
  markEntrySchema,
  patrolIdSchema,
  startPatrolSchema,
} from '../../schemas/patrol';
import type { PatrolContext } from './context';

/** A federated entity owned by another subgraph, referenced by id. */
const ref = (typename: 'User' | 'LeaveApplication', id: string | null) => (id ? { __typename: typename, id } : null);

export const resolvers: Resolvers<PatrolContext> = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  PatrolStatus: { IN_PROGRESS: 'in_progress', COMPLETED: 'completed' },
  PatrolEntryStatus: { UNCHECKED: 'unchecked', PRESENT: 'present', ABSENT: 'absent' },

  Query: {
    patrol: (_: unknown, args: unknown, ctx: PatrolContext) =>
      ctx.services.patrols.getPatrol(ctx.auth, parseInput(patrolIdSchema, args).id),
    patrols: (_: unknown, args: unknown, ctx: PatrolContext) =>
      ctx.services.patrols.listPatrols(ctx.auth, parseInput(listPatrolsSchema, args)),
  },

  Mutation: {
    startPatrol: async (_: unknown, args: unknown, ctx: PatrolContext) => {
      const { patrol, entries } = await ctx.services.patrols.startPatrol(ctx.auth, parseInput(startPatrolSchema, args));
      // The entries just written answer `entries` and `progress`: no read-back of the new patrol.
      ctx.loaders.entries.prime(patrol.id, entries);
      return patrol;
    },
    markPatrolEntry: (_: unknown, args: unknown, ctx: PatrolContext) =>
      ctx.services.patrols.markEntry(ctx.auth, parseInput(markEntrySchema, args)),
    addPatrolEntry: (_: unknown, args: unknown, ctx: PatrolContext) =>
      ctx.services.patrols.addEntry(ctx.auth, parseInput(addEntrySchema, args)),
    completePatrol: (_: unknown, args: unknown, ctx: PatrolContext) =>
      ctx.services.patrols.completePatrol(ctx.auth, parseInput(patrolIdSchema, args).id),
    deletePatrol: (_: unknown, args: unknown, ctx: PatrolContext) =>
      ctx.services.patrols.deletePatrol(ctx.auth, parseInput(patrolIdSchema, args).id),
  },

  Patrol: {
    __resolveReference: async (reference: { id: string }, ctx: PatrolContext) => {
      if (!patrolIdSchema.safeParse(reference).success) return null;
      const patrol = await ctx.loaders.patrol.load(reference.id);
      if (patrol) ctx.services.patrols.assertCanRead(ctx.auth, patrol);
      return patrol;
    },
    startedBy: (patrol: PatrolRecord) => ref('User', patrol.startedBy),
    completedBy: (patrol: PatrolRecord) => ref('User', patrol.completedBy),
    entries: (patrol: PatrolRecord, _: unknown, ctx: PatrolContext) => ctx.loaders.entries.load(patrol.id),
    progress: async (patrol: PatrolRecord, _: unknown, ctx: PatrolContext) =>
      progressOf(await ctx.loaders.entries.load(patrol.id)),
  },

  PatrolEntry: {
    patrol: (entry: EntryRecord, _: unknown, ctx: PatrolContext) => ctx.loaders.patrol.load(entry.patrolId),
    student: (entry: EntryRecord) => ref('User', entry.studentId),
    present: (entry: EntryRecord) => (entry.status === 'unchecked' ? null : entry.status === 'present'),
    reason: (entry: EntryRecord, _: unknown, ctx: PatrolContext) => visibleReason(ctx.auth, entry),
    leave: (entry: EntryRecord) => ref('LeaveApplication', entry.leaveApplicationId),
    checkedBy: (entry: EntryRecord) => ref('User', entry.checkedBy),
  },
};
