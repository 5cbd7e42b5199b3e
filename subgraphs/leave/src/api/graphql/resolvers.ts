import { DateTimeScalar, forbidden, JSONObjectScalar, pageRequest, parseInput, type Resolvers } from '@campus/platform';
import {
  applicationViewOf,
  isPatrolLeaveView,
  type ApplicationView,
  type DocumentView,
  type PatrolLeaveView,
} from '../../domain/application-view';
import type { DocumentKind } from '../../domain/documents';
import type { LeaveApplicationState, LeaveStatus, RecordedEvent } from '../../domain/leave-application';
import {
  decideInputSchema,
  documentRefSchema,
  idSchema,
  leaveStatusSchema,
  listFilterSchema,
  submitInputSchema,
  uploadRequestSchema,
} from '../../schemas/inputs';
import type { LeaveContext } from './context';

/** Transport only: parse arguments, call a service, shape the result. */

interface UserRef {
  __typename: 'User';
  id: string;
}

const userRef = (id: string): UserRef => ({ __typename: 'User', id });

/** A command's new state as the read model row, cached for the rest of the request. */
function remember(ctx: LeaveContext, state: LeaveApplicationState): ApplicationView {
  const view = applicationViewOf(state);
  ctx.loaders.application.clear(view.id).prime(view.id, view);
  ctx.loaders.documents.clear(view.id);
  ctx.loaders.history.clear(view.id);
  return view;
}

async function readableApplication(ctx: LeaveContext, rawId: unknown): Promise<ApplicationView | null> {
  const id = parseInput(idSchema, rawId, 'Invalid application id');
  return ctx.services.queries.readable(ctx.auth, await ctx.loaders.application.load(id));
}

/** A field a patrol's view of a leave does not include: FORBIDDEN for them, else `resolve`. */
function beyondPatrolView<T>(resolve: (application: ApplicationView, ctx: LeaveContext) => T) {
  return (application: ApplicationView | PatrolLeaveView, _: unknown, ctx: LeaveContext): T => {
    if (isPatrolLeaveView(application)) {
      throw forbidden('A patrol sees only the status and return time of a leave', { rule: 'patrol_leave_view' });
    }
    return resolve(application, ctx);
  };
}

/** Fields a patrol's view of a leave leaves out (the reason is null for them instead). */
const PATROL_HIDDEN_FIELDS = [
  'leaveAt',
  'contactPhone',
  'isMinor',
  'residence',
  'submittedAt',
  'decidedAt',
  'decisionReason',
  'withdrawnAt',
  'version',
] as const;

function documentObject(ctx: LeaveContext, document: DocumentView) {
  const link = ctx.services.fileLinks.downloadUrl(document.id, ctx.services.clock.now());
  return {
    ...document,
    uploadedBy: userRef(document.uploadedBy),
    downloadUrl: link.url,
    downloadUrlExpiresAt: link.expiresAt,
  };
}

/** History data as clients see it: internal details (storage keys) stay inside. */
function historyEntry(event: RecordedEvent) {
  const data: Record<string, unknown> = { ...event.data };
  delete data.storageKey;
  return {
    version: event.version,
    type: event.type,
    actor: event.actorId ? userRef(event.actorId) : null, // null: the system did it (a check-out)
    at: event.occurredAt,
    traceId: event.traceId,
    data,
  };
}

interface PageArgs {
  page?: number | null;
  size?: number | null;
}

export const resolvers: Resolvers<LeaveContext> = {
  DateTime: DateTimeScalar,
  JSONObject: JSONObjectScalar,
  // GraphQL names ↔ the domain's values (the domain uses the event contracts' spelling).
  LeaveDocumentKind: {
    SIGNED_APPLICATION: 'signed_application',
    PARENT_LETTER: 'parent_letter',
    VOICE_MESSAGE: 'voice_message',
  },

  Query: {
    leaveApplication: (_: unknown, args: { id: string }, ctx: LeaveContext) => readableApplication(ctx, args.id),

    leaveApplications: async (
      _: unknown,
      args: PageArgs & { filter?: Record<string, unknown> | null },
      ctx: LeaveContext,
    ) => {
      const filter = parseInput(listFilterSchema, args.filter ?? {}, 'Invalid filter');
      const page = await ctx.services.queries.list(ctx.auth, filter, pageRequest(args.page, args.size));
      for (const item of page.items) ctx.loaders.application.prime(item.id, item);
      return page;
    },
  },

  Mutation: {
    submitLeaveApplication: async (_: unknown, args: { input: Record<string, unknown> }, ctx: LeaveContext) =>
      remember(ctx, await ctx.services.commands.submit(ctx.auth, parseInput(submitInputSchema, args.input))),

    requestLeaveDocumentUpload: (
      _: unknown,
      args: { applicationId: string; kind: DocumentKind },
      ctx: LeaveContext,
    ) => {
      const input = parseInput(uploadRequestSchema, args);
      return ctx.services.uploads.requestUpload(ctx.auth, input.applicationId, input.kind);
    },

    removeLeaveDocument: async (_: unknown, args: { applicationId: string; documentId: string }, ctx: LeaveContext) => {
      const input = parseInput(documentRefSchema, args);
      const { state, removed } = await ctx.services.commands.removeDocument(
        ctx.auth,
        input.applicationId,
        input.documentId,
      );
      await ctx.services.uploads.discard(removed.storageKey);
      return remember(ctx, state);
    },

    decideLeaveApplication: async (
      _: unknown,
      args: { id: string; decision: string; reason?: string | null },
      ctx: LeaveContext,
    ) => {
      const input = parseInput(decideInputSchema, args);
      return remember(ctx, await ctx.services.commands.decide(ctx.auth, input.id, input.decision, input.reason));
    },

    withdrawLeaveApplication: async (_: unknown, args: { id: string }, ctx: LeaveContext) =>
      remember(
        ctx,
        await ctx.services.commands.withdraw(ctx.auth, parseInput(idSchema, args.id, 'Invalid application id')),
      ),
  },

  LeaveApplication: {
    // Referenced from a patrol entry: a patrol student of the applicant's entrance gets the patrol's view.
    __resolveReference: async (ref: { id: string }, ctx: LeaveContext) => {
      const id = parseInput(idSchema, ref.id, 'Invalid application id');
      return ctx.services.queries.referenced(ctx.auth, await ctx.loaders.application.load(id));
    },
    applicant: (application: ApplicationView | PatrolLeaveView) => userRef(application.applicantId),
    reason: (application: ApplicationView | PatrolLeaveView) =>
      isPatrolLeaveView(application) ? null : application.reason,
    ...Object.fromEntries(
      PATROL_HIDDEN_FIELDS.map((field) => [field, beyondPatrolView((application) => application[field])]),
    ),
    decidedBy: beyondPatrolView((application) => (application.decidedBy ? userRef(application.decidedBy) : null)),
    documents: beyondPatrolView(async (application, ctx) =>
      (await ctx.loaders.documents.load(application.id)).map((d) => documentObject(ctx, d)),
    ),
    history: beyondPatrolView(async (application, ctx) =>
      (await ctx.loaders.history.load(application.id)).map(historyEntry),
    ),
  },

  User: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    leaveApplications: (user: { id: string }, args: PageArgs & { status?: LeaveStatus | null }, ctx: LeaveContext) => {
      ctx.services.queries.assertCanListOf(ctx.auth, user.id);
      const status = parseInput(leaveStatusSchema, args.status);
      return ctx.loaders.applicationsOfApplicant.load({
        applicantId: user.id,
        status,
        page: pageRequest(args.page, args.size),
      });
    },
  },
};
