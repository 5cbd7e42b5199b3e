import { randomUUID } from 'node:crypto';
import { currentTraceId, requireAuth, type AuthContext, type Clock } from '@campus/platform';
import { applicationNotFound } from '../domain/errors';
import { DEFAULT_LEAVE_LIMITS, type LeaveLimits } from '../domain/limits';
import {
  approve,
  attachDocument,
  ensureCanAttach,
  foldEvents,
  recordEvents,
  reject,
  removeDocument,
  submit,
  withdraw,
  type AttachDocumentCommand,
  type LeaveApplicationState,
  type LeaveDocument,
  type LeaveEvent,
} from '../domain/leave-application';
import { actorOf, requireSubmitter, type Actor } from '../domain/policy';
import { toCloudEvents } from '../events/integration-events';
import type { ApplicantDirectory, EventStore, PendingApplications } from './ports';

export interface SubmitInput {
  leaveAt: Date;
  returnAt: Date;
  reason: string;
  contactPhone: string;
}

export type Decision = 'APPROVE' | 'REJECT';

export interface LeaveCommandsDeps {
  store: EventStore;
  applicants: ApplicantDirectory;
  clock: Clock;
  /** Undecided, not yet over applications per student; without it the pending limit is not checked (unit tests). */
  pending?: PendingApplications;
  /** LEAVE_MAX_DAYS, LEAVE_MAX_PENDING_PER_STUDENT; DEFAULT_LEAVE_LIMITS when absent. */
  limits?: LeaveLimits;
  /** Called after every committed command (wakes the outbox relay up). */
  onCommitted?: () => void;
  newId?: () => string;
}

/**
 * Runs the aggregate's commands: load the stream, fold it, let the aggregate decide, then append
 * the new events with optimistic concurrency (the version the decision was made on must still be
 * the latest). The read model and the outbox are written in the same transaction by the store.
 */
export class LeaveCommands {
  private readonly newId: () => string;

  constructor(private readonly deps: LeaveCommandsDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  async submit(auth: AuthContext | null, input: SubmitInput): Promise<LeaveApplicationState> {
    const caller = requireAuth(auth);
    const actor = actorOf(caller);
    requireSubmitter(actor); // before asking identity anything
    // isMinor and residence are a snapshot from identity, not from the (up to 15 min old) token.
    // Counted before the commit: simultaneous submissions may pass the limit by one or two, which
    // is acceptable for a guard against runaway clients (no lock per student).
    const context = this.context(actor);
    const [applicant, pendingOfApplicant] = await Promise.all([
      this.deps.applicants.applicant(actor.userId, caller.token),
      this.deps.pending?.pendingCountOf(actor.userId, context.now) ?? 0,
    ]);
    const limits = this.deps.limits ?? DEFAULT_LEAVE_LIMITS;
    const events = submit({ applicant, ...input, limits, pendingOfApplicant }, context);
    return this.append(this.newId(), null, events, actor);
  }

  async decide(
    auth: AuthContext | null,
    applicationId: string,
    decision: Decision,
    reason?: string | null,
  ): Promise<LeaveApplicationState> {
    const actor = actorOf(auth);
    return this.execute(applicationId, actor, (state) =>
      decision === 'APPROVE'
        ? approve(state, reason ?? null, this.context(actor))
        : reject(state, reason, this.context(actor)),
    );
  }

  async withdraw(auth: AuthContext | null, applicationId: string): Promise<LeaveApplicationState> {
    const actor = actorOf(auth);
    return this.execute(applicationId, actor, (state) => withdraw(state, this.context(actor)));
  }

  /** Removes a document; returns the state and the removed document (its bytes are the caller's to delete). */
  async removeDocument(
    auth: AuthContext | null,
    applicationId: string,
    documentId: string,
  ): Promise<{ state: LeaveApplicationState; removed: LeaveDocument }> {
    const actor = actorOf(auth);
    let removed: LeaveDocument | undefined;
    const state = await this.execute(applicationId, actor, (current) => {
      removed = current.documents.find((d) => d.id === documentId);
      return removeDocument(current, documentId, this.context(actor));
    });
    return { state, removed: removed! };
  }

  /** Checks that `actor` may attach a document now (before an upload link is handed out). */
  async ensureCanAttach(actor: Actor, applicationId: string): Promise<LeaveApplicationState> {
    const { state } = await this.load(applicationId);
    ensureCanAttach(state, { actor });
    return state;
  }

  async attachDocument(
    actor: Actor,
    applicationId: string,
    command: AttachDocumentCommand,
  ): Promise<LeaveApplicationState> {
    return this.execute(applicationId, actor, (state) => attachDocument(state, command, this.context(actor)));
  }

  private context(actor: Actor) {
    return { actor, now: this.deps.clock.now() };
  }

  private async load(applicationId: string): Promise<{ state: LeaveApplicationState }> {
    const state = foldEvents(await this.deps.store.load(applicationId));
    if (!state) throw applicationNotFound(applicationId);
    return { state };
  }

  private async execute(
    applicationId: string,
    actor: Actor,
    decide: (state: LeaveApplicationState) => LeaveEvent[],
  ): Promise<LeaveApplicationState> {
    const { state } = await this.load(applicationId);
    return this.append(applicationId, state, decide(state), actor);
  }

  private async append(
    streamId: string,
    state: LeaveApplicationState | null,
    events: LeaveEvent[],
    actor: Actor,
  ): Promise<LeaveApplicationState> {
    const expectedVersion = state?.version ?? 0;
    const metadata = { actorId: actor.userId, occurredAt: this.deps.clock.now(), traceId: currentTraceId() };
    const { recorded, next } = recordEvents(streamId, state, events, metadata);
    await this.deps.store.commit({
      streamId,
      expectedVersion,
      events: recorded,
      state: next,
      integrationEvents: toCloudEvents(next, recorded),
    });
    this.deps.onCommitted?.();
    return next;
  }
}
