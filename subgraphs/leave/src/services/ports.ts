import type { Readable } from 'node:stream';
import type { CloudEvent, Page, PageRequest, Role } from '@campus/platform';
import type { DocumentKind } from '../domain/documents';
import type {
  ApplicantSnapshot,
  LeaveApplicationState,
  LeaveDocument,
  LeaveStatus,
  RecordedEvent,
} from '../domain/leave-application';

/**
 * The ports the services depend on. Adapters live in repository/ (PostgreSQL through Prisma,
 * document storage) and clients/ (identity over gRPC); tests substitute in-memory fakes.
 */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

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

/** A row of the applications read model. */
export type ApplicationView = Omit<LeaveApplicationState, 'documents'>;

/** A row of the documents read model. */
export type DocumentView = LeaveDocument & { applicationId: string };

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

export interface ReadModel {
  applicationsByIds(ids: readonly string[]): Promise<ApplicationView[]>;
  list(filter: ApplicationFilter, page: PageRequest): Promise<Page<ApplicationView>>;
  /** Each applicant's applications (newest first), one page per applicant, in one query. */
  applicationsOfApplicants(applicantIds: readonly string[], query: ApplicantPage): Promise<Map<string, ApplicationView[]>>;
  documentsOf(applicationIds: readonly string[]): Promise<DocumentView[]>;
  document(documentId: string): Promise<DocumentView | null>;
  historyOf(applicationIds: readonly string[]): Promise<RecordedEvent[]>;
  /** Approved applications of these students with leaveAt ≤ at < returnAt. */
  /** Approved, covering `at`; of those applicants, or of everyone when null. */
  approvedCovering(at: Date, applicantIds: readonly string[] | null): Promise<ApplicationView[]>;
}

export interface UploadLink {
  applicationId: string;
  kind: DocumentKind;
  requestedBy: string;
  /** The requester's roles when the link was handed out (the upload acts as them). */
  requesterRoles: Role[];
  expiresAt: Date;
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
