// GraphQL transport only: parse arguments (schemas/), call the service, shape the answer.
import { GraphQLScalarType, Kind, GraphQLError } from 'graphql';
import type { BaseContext, SubgraphOptions } from '@campus/platform';
import {
  addEntrySchema,
  listPatrolsSchema,
  markEntrySchema,
  parseInput,
  patrolIdSchema,
  startPatrolSchema,
} from '../../schemas/patrol';
import type { PatrolService } from '../../services/patrol-service';
import type { EntryRecord, PatrolRecord } from '../../services/ports';
import { progressOf } from '../../services/rules';
import type { PatrolLoaders } from './loaders';

export interface PatrolContext extends BaseContext {
  patrols: PatrolService;
  loaders: PatrolLoaders;
}

type Resolvers = SubgraphOptions<PatrolContext>['resolvers'];

/** A string scalar (described in the SDL); its format is checked by the input schemas, not here. */
function stringScalar(name: string): GraphQLScalarType {
  const parse = (value: unknown): string => {
    if (typeof value !== 'string') throw new GraphQLError(`${name} must be a string`);
    return value;
  };
  return new GraphQLScalarType({
    name,
    serialize: (value) => (value instanceof Date ? value.toISOString() : parse(value)),
    parseValue: parse,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string`, { nodes: ast });
      return ast.value;
    },
  });
}

/** A federated entity owned by another subgraph, referenced by id. */
const ref = (typename: 'User' | 'LeaveApplication', id: string | null) => (id ? { __typename: typename, id } : null);

export const resolvers: Resolvers = {
  Date: stringScalar('Date'),
  DateTime: stringScalar('DateTime'),
  PatrolStatus: { IN_PROGRESS: 'in_progress', COMPLETED: 'completed' },
  PatrolEntryStatus: { UNCHECKED: 'unchecked', PRESENT: 'present', ABSENT: 'absent' },

  Query: {
    patrol: (_: unknown, args: unknown, ctx: PatrolContext) => ctx.patrols.getPatrol(ctx.auth, parseInput(patrolIdSchema, args).id),
    patrols: (_: unknown, args: unknown, ctx: PatrolContext) => ctx.patrols.listPatrols(ctx.auth, parseInput(listPatrolsSchema, args)),
  },

  Mutation: {
    startPatrol: (_: unknown, args: unknown, ctx: PatrolContext) =>
      ctx.patrols.startPatrol(ctx.auth, parseInput(startPatrolSchema, args)),
    markPatrolEntry: (_: unknown, args: unknown, ctx: PatrolContext) =>
      ctx.patrols.markEntry(ctx.auth, parseInput(markEntrySchema, args)),
    addPatrolEntry: (_: unknown, args: unknown, ctx: PatrolContext) =>
      ctx.patrols.addEntry(ctx.auth, parseInput(addEntrySchema, args)),
    completePatrol: (_: unknown, args: unknown, ctx: PatrolContext) =>
      ctx.patrols.completePatrol(ctx.auth, parseInput(patrolIdSchema, args).id),
    deletePatrol: (_: unknown, args: unknown, ctx: PatrolContext) =>
      ctx.patrols.deletePatrol(ctx.auth, parseInput(patrolIdSchema, args).id),
  },

  Patrol: {
    __resolveReference: async (reference: { id: string }, ctx: PatrolContext) => {
      if (!patrolIdSchema.safeParse(reference).success) return null;
      const patrol = await ctx.loaders.patrol.load(reference.id);
      if (patrol) ctx.patrols.assertCanRead(ctx.auth, patrol);
      return patrol;
    },
    startedBy: (patrol: PatrolRecord) => ref('User', patrol.startedBy),
    completedBy: (patrol: PatrolRecord) => ref('User', patrol.completedBy),
    entries: (patrol: PatrolRecord, _: unknown, ctx: PatrolContext) => ctx.loaders.entries.load(patrol.id),
    progress: async (patrol: PatrolRecord, _: unknown, ctx: PatrolContext) => progressOf(await ctx.loaders.entries.load(patrol.id)),
  },

  PatrolEntry: {
    patrol: (entry: EntryRecord, _: unknown, ctx: PatrolContext) => ctx.loaders.patrol.load(entry.patrolId),
    student: (entry: EntryRecord) => ref('User', entry.studentId),
    present: (entry: EntryRecord) => (entry.status === 'unchecked' ? null : entry.status === 'present'),
    leave: (entry: EntryRecord) => ref('LeaveApplication', entry.leaveApplicationId),
    checkedBy: (entry: EntryRecord) => ref('User', entry.checkedBy),
  },
};
