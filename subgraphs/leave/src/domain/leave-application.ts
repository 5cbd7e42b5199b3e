import type { Residence } from '@campus/platform';
import {
  LeaveErrors,
  applicationFinal,
  documentNotFound,
  notWithdrawnByCheckout,
  periodPassed,
  type LeaveErrorName,
} from './errors';
import { checkDocumentFacts, MAX_DOCUMENTS_PER_APPLICATION, type DocumentKind } from './documents';
import type { LeaveLimits } from './limits';
import { requireContactPhone } from './phone';
import { requireApplicant, requireDecider, requireDocumentManager, requireSubmitter, deny, type Actor } from './policy';

/**
 * The leave application aggregate, event-sourced. Commands are pure functions
 * (state, command, context) → new events, throwing a DomainError when a rule refuses; the state is
 * only ever rebuilt by folding the stream's events (`foldEvents`). Persistence, identity lookups
 * and file handling live outside, so every rule here is testable as given-events/when/then.
 */

export type LeaveStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';

/** Event payloads as stored in the event store (dates as ISO strings: the data is JSON). */
export interface LeaveEventData {
  SUBMITTED: {
    applicantId: string;
    leaveAt: string;
    returnAt: string;
    reason: string;
    contactPhone: string;
    isMinor: boolean;
    residence: Residence | null;
  };
  DOCUMENT_ATTACHED: {
    documentId: string;
    kind: DocumentKind;
    contentType: string;
    sizeBytes: number;
    durationSeconds: number | null;
    storageKey: string;
  };
  DOCUMENT_REMOVED: { documentId: string };
  APPROVED: { comment: string | null };
  REJECTED: { reason: string };
  /** By the applicant ({}), or by the system on the student's check-out ({ checkoutId }, no actor). */
  WITHDRAWN: { checkoutId?: string };
  /** The check-out that withdrew the application was undone: it is pending again (no actor). */
  REINSTATED: { checkoutId: string };
}

export type LeaveEventType = keyof LeaveEventData;
export const LEAVE_EVENT_TYPES: readonly LeaveEventType[] = [
  'SUBMITTED',
  'DOCUMENT_ATTACHED',
  'DOCUMENT_REMOVED',
  'APPROVED',
  'REJECTED',
  'WITHDRAWN',
  'REINSTATED',
];

/** The events the system may record without an actor (a check-out's withdrawal and its undo). */
export const SYSTEM_EVENT_TYPES = ['WITHDRAWN', 'REINSTATED'] as const satisfies readonly LeaveEventType[];
export type SystemEventType = (typeof SYSTEM_EVENT_TYPES)[number];

/** A new event as a command decides it (metadata is added when it is appended). */
export type LeaveEvent = { [T in LeaveEventType]: { type: T; data: LeaveEventData[T] } }[LeaveEventType];

/** An event the system records without an actor. */
export type SystemEvent = Extract<LeaveEvent, { type: SystemEventType }>;

/** Who (null: the system), when and in which trace an event was recorded. */
export interface EventMetadata<Actor extends string | null = string | null> {
  actorId: Actor;
  occurredAt: Date;
  traceId: string | null;
}

/**
 * An event as stored: its stream, its position in the stream and who/when/which trace. Only the
 * system's events may lack an actor, so every other event's actorId is a user id by its type.
 */
export type RecordedEvent = {
  [T in LeaveEventType]: { type: T; data: LeaveEventData[T] } & EventMetadata<
    T extends SystemEventType ? string | null : string
  > & { streamId: string; version: number };
}[LeaveEventType];

export interface LeaveDocument {
  id: string;
  kind: DocumentKind;
  contentType: string;
  sizeBytes: number;
  durationSeconds: number | null;
  storageKey: string;
  uploadedBy: string;
  uploadedAt: Date;
}

export interface LeaveApplicationState {
  id: string;
  /** Version of the last folded event; the next event gets version + 1. */
  version: number;
  status: LeaveStatus;
  applicantId: string;
  leaveAt: Date;
  returnAt: Date;
  reason: string;
  contactPhone: string;
  isMinor: boolean;
  residence: Residence | null;
  submittedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  withdrawnAt: Date | null;
  /** The check-out that withdrew it, while it stands withdrawn by one (that check-out may reinstate it). */
  withdrawnByCheckoutId: string | null;
  updatedAt: Date;
  documents: LeaveDocument[];
}

// ---------------------------------------------------------------------------------------------
// Folding

/** Applies one recorded event. Streams are validated on the way: a corrupt stream is a bug. */
export function evolve(state: LeaveApplicationState | null, event: RecordedEvent): LeaveApplicationState {
  const expected = (state?.version ?? 0) + 1;
  if (event.version !== expected) {
    throw new Error(`stream ${event.streamId}: expected version ${expected}, got ${event.version}`);
  }
  if (event.type === 'SUBMITTED') {
    if (state) throw new Error(`stream ${event.streamId}: SUBMITTED twice`);
    return submittedState(event.streamId, event.data, event);
  }
  if (!state) throw new Error(`stream ${event.streamId}: ${event.type} before SUBMITTED`);
  const next: LeaveApplicationState = { ...state, version: event.version, updatedAt: event.occurredAt };
  switch (event.type) {
    case 'DOCUMENT_ATTACHED': {
      const { documentId, ...rest } = event.data;
      const document = { id: documentId, ...rest, uploadedBy: event.actorId, uploadedAt: event.occurredAt };
      return { ...next, documents: [...state.documents, document] };
    }
    case 'DOCUMENT_REMOVED':
      return { ...next, documents: state.documents.filter((d) => d.id !== event.data.documentId) };
    case 'APPROVED':
      return {
        ...next,
        status: 'APPROVED',
        decidedBy: event.actorId,
        decidedAt: event.occurredAt,
        decisionReason: event.data.comment,
      };
    case 'REJECTED':
      return {
        ...next,
        status: 'REJECTED',
        decidedBy: event.actorId,
        decidedAt: event.occurredAt,
        decisionReason: event.data.reason,
      };
    case 'WITHDRAWN':
      return {
        ...next,
        status: 'WITHDRAWN',
        withdrawnAt: event.occurredAt,
        withdrawnByCheckoutId: event.data.checkoutId ?? null,
      };
    case 'REINSTATED':
      return { ...next, status: 'PENDING', withdrawnAt: null, withdrawnByCheckoutId: null };
  }
}

function submittedState(id: string, data: LeaveEventData['SUBMITTED'], meta: RecordedEvent): LeaveApplicationState {
  return {
    id,
    version: meta.version,
    status: 'PENDING',
    applicantId: data.applicantId,
    leaveAt: new Date(data.leaveAt),
    returnAt: new Date(data.returnAt),
    reason: data.reason,
    contactPhone: data.contactPhone,
    isMinor: data.isMinor,
    residence: data.residence,
    submittedAt: meta.occurredAt,
    decidedBy: null,
    decidedAt: null,
    decisionReason: null,
    withdrawnAt: null,
    withdrawnByCheckoutId: null,
    updatedAt: meta.occurredAt,
    documents: [],
  };
}

/** The state of a stream (null for an empty stream). Events must be in version order. */
export function foldEvents(events: readonly RecordedEvent[]): LeaveApplicationState | null {
  return events.reduce<LeaveApplicationState | null>((state, event) => evolve(state, event), null);
}

/** What a command appends: its recorded events and the state after them. */
export interface Recorded {
  recorded: RecordedEvent[];
  next: LeaveApplicationState;
}

/**
 * Records a command's events after `state` (versions following it, all with the same metadata)
 * and folds them. A user's events need their actor; only the system's may have none.
 */
export function recordEvents(
  streamId: string,
  state: LeaveApplicationState | null,
  events: readonly LeaveEvent[],
  metadata: EventMetadata<string>,
): Recorded;
export function recordEvents(
  streamId: string,
  state: LeaveApplicationState | null,
  events: readonly SystemEvent[],
  metadata: EventMetadata,
): Recorded;
export function recordEvents(
  streamId: string,
  state: LeaveApplicationState | null,
  events: readonly LeaveEvent[],
  metadata: EventMetadata,
): Recorded {
  const base = state?.version ?? 0;
  // The overloads pair a null actor with system events only, which TypeScript cannot see through the spread.
  const recorded = events.map(
    (event, i) => ({ ...event, ...metadata, streamId, version: base + i + 1 }) as RecordedEvent,
  );
  const next = recorded.reduce<LeaveApplicationState | null>(evolve, state);
  if (!next) throw new Error(`stream ${streamId}: no events to record`);
  return { recorded, next };
}

// ---------------------------------------------------------------------------------------------
// Commands

export interface CommandContext {
  actor: Actor;
  now: Date;
}

/** What identity says about the applicant at submission (a snapshot: later changes don't apply). */
export interface ApplicantSnapshot {
  id: string;
  isActive: boolean;
  isMinor: boolean;
  residence: Residence | null;
}

export interface SubmitCommand {
  applicant: ApplicantSnapshot;
  leaveAt: Date;
  returnAt: Date;
  reason: string;
  contactPhone: string;
  limits: LeaveLimits;
  /**
   * How many of the applicant's applications are still undecided and not yet over (returnAt ahead
   * of now): a stale pending one can no longer be approved, so it must not block a new one.
   */
  pendingOfApplicant: number;
}

const DAY_MS = 86_400_000;

export function submit(command: SubmitCommand, { actor, now }: CommandContext): LeaveEvent[] {
  requireSubmitter(actor);
  if (command.applicant.id !== actor.userId) {
    deny('submit_for_self', 'Students submit leave applications only for themselves');
  }
  if (!command.applicant.isActive) {
    throw LeaveErrors.error('APPLICANT_INACTIVE', 'Your account is not active; ask the campus office');
  }
  if (command.returnAt.getTime() <= command.leaveAt.getTime()) {
    throw LeaveErrors.error('INVALID_PERIOD', 'The return time must be after the leave time', {
      fields: { returnAt: 'must be after leaveAt' },
    });
  }
  if (command.leaveAt.getTime() <= now.getTime()) {
    throw LeaveErrors.error('PERIOD_IN_PAST', 'The leave time must be in the future', {
      fields: { leaveAt: 'must be in the future' },
    });
  }
  const { maxDays, maxDaysAhead, maxPendingPerStudent } = command.limits;
  if (command.leaveAt.getTime() - now.getTime() > maxDaysAhead * DAY_MS) {
    throw LeaveErrors.error('PERIOD_TOO_FAR', `A leave may start at most ${maxDaysAhead} days from now`, {
      maxDaysAhead,
      fields: { leaveAt: `at most ${maxDaysAhead} days from now` },
    });
  }
  if (command.returnAt.getTime() - command.leaveAt.getTime() > maxDays * DAY_MS) {
    throw LeaveErrors.error('PERIOD_TOO_LONG', `A leave may last at most ${maxDays} days`, {
      maxDays,
      fields: { returnAt: `at most ${maxDays} days after leaveAt` },
    });
  }
  if (command.pendingOfApplicant >= maxPendingPerStudent) {
    throw LeaveErrors.error(
      'TOO_MANY_PENDING',
      `You already have ${maxPendingPerStudent} undecided applications; withdraw one or wait for a decision`,
      { max: maxPendingPerStudent },
    );
  }
  const reason = requireText(command.reason, 'REASON_REQUIRED', 'reason', 'Give a reason for leaving');
  const contactPhone = requireContactPhone(command.contactPhone);
  return [
    {
      type: 'SUBMITTED',
      data: {
        applicantId: command.applicant.id,
        leaveAt: command.leaveAt.toISOString(),
        returnAt: command.returnAt.toISOString(),
        reason,
        contactPhone,
        isMinor: command.applicant.isMinor,
        residence: command.applicant.residence,
      },
    },
  ];
}

export interface AttachDocumentCommand {
  documentId: string;
  kind: DocumentKind;
  contentType: string;
  sizeBytes: number;
  durationSeconds: number | null;
  storageKey: string;
}

/** Whether a document may be attached now (checked when an upload link is asked for, and on attach). */
export function ensureCanAttach(state: LeaveApplicationState, { actor }: Pick<CommandContext, 'actor'>): void {
  requireDocumentManager(actor, state.applicantId);
  requirePending(state);
  if (state.documents.length >= MAX_DOCUMENTS_PER_APPLICATION) {
    throw LeaveErrors.error(
      'TOO_MANY_DOCUMENTS',
      `An application may have at most ${MAX_DOCUMENTS_PER_APPLICATION} documents`,
      { max: MAX_DOCUMENTS_PER_APPLICATION },
    );
  }
}

export function attachDocument(
  state: LeaveApplicationState,
  command: AttachDocumentCommand,
  context: CommandContext,
): LeaveEvent[] {
  ensureCanAttach(state, context);
  checkDocumentFacts(command);
  return [{ type: 'DOCUMENT_ATTACHED', data: { ...command } }];
}

export function removeDocument(
  state: LeaveApplicationState,
  documentId: string,
  { actor }: CommandContext,
): LeaveEvent[] {
  requireDocumentManager(actor, state.applicantId);
  requirePending(state);
  if (!state.documents.some((d) => d.id === documentId)) {
    throw documentNotFound(state.id, documentId);
  }
  return [{ type: 'DOCUMENT_REMOVED', data: { documentId } }];
}

export function approve(
  state: LeaveApplicationState,
  comment: string | null,
  { actor, now }: CommandContext,
): LeaveEvent[] {
  requireDecider(actor);
  requirePending(state);
  // An approval of a leave that is already over would show the student and the patrol an
  // "approved" leave in the past; such an application can only be rejected (or left to lapse).
  if (state.returnAt.getTime() <= now.getTime()) throw periodPassed(state.id, state.returnAt);
  // A minor leaves only with a parent's consent, given as a voice message (domain spec §4).
  if (state.isMinor && !state.documents.some((d) => d.kind === 'voice_message')) {
    throw LeaveErrors.error(
      'VOICE_MESSAGE_REQUIRED',
      "A minor's application needs a parent's voice message before approval",
      {
        applicationId: state.id,
        requiredDocument: 'voice_message',
      },
    );
  }
  const trimmed = comment?.trim();
  return [{ type: 'APPROVED', data: { comment: trimmed ? trimmed : null } }];
}

export function reject(
  state: LeaveApplicationState,
  reason: string | null | undefined,
  { actor }: CommandContext,
): LeaveEvent[] {
  requireDecider(actor);
  requirePending(state);
  const text = requireText(reason ?? '', 'REJECTION_REASON_REQUIRED', 'reason', 'Give the reason for the rejection');
  return [{ type: 'REJECTED', data: { reason: text } }];
}

export function withdraw(state: LeaveApplicationState, { actor }: CommandContext): LeaveEvent[] {
  requireApplicant(actor, state.applicantId);
  requirePending(state);
  return [{ type: 'WITHDRAWN', data: {} }];
}

// ---------------------------------------------------------------------------------------------
// The system's commands: a student's check-out from the campus (domain spec §9)

/**
 * The leaving student's pending application is withdrawn by the system, naming the check-out. A
 * decided or withdrawn application is left as it is (APPLICATION_FINAL).
 */
export function withdrawForCheckOut(state: LeaveApplicationState, checkoutId: string): SystemEvent[] {
  requirePending(state);
  return [{ type: 'WITHDRAWN', data: { checkoutId } }];
}

/** Whether the application stands withdrawn by this check-out (which alone may reinstate it). */
export const isWithdrawnBy = (state: LeaveApplicationState, checkoutId: string): boolean =>
  state.status === 'WITHDRAWN' && state.withdrawnByCheckoutId === checkoutId;

/**
 * The check-out was undone: the application it withdrew is pending again. Only that check-out's
 * withdrawal can be undone; an applicant's withdrawal and decisions stay final.
 */
export function reinstateAfterCheckOut(state: LeaveApplicationState, checkoutId: string): SystemEvent[] {
  if (!isWithdrawnBy(state, checkoutId)) {
    throw notWithdrawnByCheckout(state.id, checkoutId, state.status);
  }
  return [{ type: 'REINSTATED', data: { checkoutId } }];
}

function requirePending(state: LeaveApplicationState): void {
  if (state.status !== 'PENDING') throw applicationFinal(state.id, state.status);
}

function requireText(value: string, code: LeaveErrorName, field: string, message: string): string {
  const text = value.trim();
  if (!text) throw LeaveErrors.error(code, message, { fields: { [field]: 'required' } });
  return text;
}
