import type { Readable } from 'node:stream';
import type { CloudEvent, DomainError, Page, PageRequest } from '@campus/platform';
import type { ApplicationView, DocumentView } from '../domain/application-view';
import type { DocumentKind, InspectedDocument } from '../domain/documents';
import type { ApplicantSnapshot, LeaveApplicationState, LeaveStatus, RecordedEvent } from '../domain/leave-application';
import type { UploadLink } from '../domain/upload-link';

/**
 * The ports the services depend on. Adapters implement them: repository/ (PostgreSQL through
 * Prisma), clients/ (identity over gRPC) and adapters/ (document storage, receiving and inspecting
 * uploaded files); tests substitute in-memory fakes.
 */

/** Identity's view of the applicant at this moment (gRPC GetUser). */
export interface ApplicantDirectory {
  applicant(userId: string, callerToken: string): Promise<ApplicantSnapshot>;
}

/** One command's outcome, written atomically: events + read model + integration events. */
export interface Commit {
  streamId: string;
  /** The version the command was decided on (0 for a new stream). */
  expectedVersion: number;
  events: RecordedEvent[];
  /** The state after the events, for the projection. */
  state: LeaveApplicationState;
  /** CloudEvents for the outbox. */
  integrationEvents: CloudEvent[];
}

export interface EventStore {
  /** The stream's events in version order (empty when the stream does not exist). */
  load(streamId: string): Promise<RecordedEvent[]>;
  /** Throws CONFLICT (rule optimistic_concurrency) when another command appended first. */
  commit(commit: Commit): Promise<void>;
}

export interface ApplicationFilter {
  status?: LeaveStatus;
  building?: string;
  entrance?: number;
  room?: string;
  /** With `to`: applications whose leave period overlaps [from, to). */
  from?: Date;
  to?: Date;
  applicantId?: string;
}

export interface ApplicantPage {
  status?: LeaveStatus;
  page: PageRequest;
}

export interface PendingApplications {
  /** How many of the applicant's applications are PENDING. */
  pendingCountOf(applicantId: string): Promise<number>;
}

export interface ReadModel extends PendingApplications {
  applicationsByIds(ids: readonly string[]): Promise<ApplicationView[]>;
  list(filter: ApplicationFilter, page: PageRequest): Promise<Page<ApplicationView>>;
  /** Each applicant's applications (newest first), one page per applicant, in one query. */
  applicationsOfApplicants(
    applicantIds: readonly string[],
    query: ApplicantPage,
  ): Promise<Map<string, ApplicationView[]>>;
  documentsOf(applicationIds: readonly string[]): Promise<DocumentView[]>;
  document(documentId: string): Promise<DocumentView | null>;
  historyOf(applicationIds: readonly string[]): Promise<RecordedEvent[]>;
  /** Approved applications covering `at` (leaveAt ≤ at < returnAt): of those applicants, or of everyone when null. */
  approvedCovering(at: Date, applicantIds: readonly string[] | null): Promise<ApplicationView[]>;
}

export type ClaimResult = { status: 'claimed'; link: UploadLink } | { status: 'unknown' | 'used' | 'expired' };

export interface UploadLinkStore {
  create(tokenHash: string, link: UploadLink): Promise<void>;
  /** Marks the link used if it is unused and unexpired (atomically: a link is used once). */
  claim(tokenHash: string, now: Date): Promise<ClaimResult>;
}

/** Where document bytes live. Nothing in it is ever served without a signed link. */
export interface DocumentStorage {
  /** Moves (or copies) a local file into the storage under `key`. */
  put(key: string, fromFile: string, contentType: string): Promise<void>;
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
  /** Readiness: the storage is reachable and writable. */
  check(): Promise<void>;
}

/** An uploaded body, held in a local file while it is inspected and stored. */
export interface SpooledFile {
  path: string;
  sizeBytes: number;
  /** Removes the local file (if the storage has not moved it away already). */
  discard(): Promise<void>;
}

/** Receives upload bodies into local files, never holding a whole body in memory. */
export interface UploadSpool {
  /** Fails with `tooLarge()` as soon as more than `maxBytes` have arrived (nothing is left behind). */
  receive(body: Readable, maxBytes: number, tooLarge: () => DomainError): Promise<SpooledFile>;
}

/** Tells what a file really is, from its content (never from its name or claimed type). */
export interface DocumentInspector {
  /** The file's format and, for audio, its length; refuses a format the kind does not accept. */
  inspect(file: string, kind: DocumentKind, sizeBytes: number): Promise<InspectedDocument>;
}
