import type { Residence } from '@campus/platform';
import { LeaveErrors, applicationFinal, documentNotFound, type LeaveErrorName } from './errors';
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
  WITHDRAWN: Record<string, never>;
}

export type LeaveEventType = keyof LeaveEventData;
export const LEAVE_EVENT_TYPES: readonly LeaveEventType[] = [
  'SUBMITTED',
  'DOCUMENT_ATTACHED',
  'DOCUMENT_REMOVED',
  'APPROVED',
  'REJECTED',
  'WITHDRAWN',
];

/** A new event as a command decides it (metadata is added when it is appended). */
export type LeaveEvent = { [T in LeaveEventType]: { type: T; data: LeaveEventData[T] } }[LeaveEventType];

export interface EventMetadata {
  actorId: string;
  occurredAt: Date;
  traceId: string | null;
}

/** An event as stored: its stream, its position in the stream and who/when/which trace. */
export type RecordedEvent = LeaveEvent & EventMetadata & { streamId: string; version: number };

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
      return { ...next, status: 'WITHDRAWN', withdrawnAt: event.occurredAt };
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
    updatedAt: meta.occurredAt,
    documents: [],
  };
}

/** The state of a stream (null for an empty stream). Events must be in version order. */
export function foldEvents(events: readonly RecordedEvent[]): LeaveApplicationState | null {
  return events.reduce<LeaveApplicationState | null>((state, event) => evolve(state, event), null);
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
  /** How many of the applicant's applications are still undecided. */
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
  const { maxDays, maxPendingPerStudent } = command.limits;
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

export function approve(state: LeaveApplicationState, comment: string | null, { actor }: CommandContext): LeaveEvent[] {
  requireDecider(actor);
  requirePending(state);
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

function requirePending(state: LeaveApplicationState): void {
  if (state.status !== 'PENDING') throw applicationFinal(state.id, state.status);
}

function requireText(value: string, code: LeaveErrorName, field: string, message: string): string {
  const text = value.trim();
  if (!text) throw LeaveErrors.error(code, message, { fields: { [field]: 'required' } });
  return text;
}
