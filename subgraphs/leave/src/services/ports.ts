import type { CloudEvent, FileStorage, Page, PageRequest, UploadLinkStore } from '@campus/platform';
import type { ApplicationView, DocumentView } from '../domain/application-view';
import type { DocumentKind, InspectedDocument } from '../domain/documents';
import type { ApplicantSnapshot, LeaveApplicationState, LeaveStatus, RecordedEvent } from '../domain/leave-application';

/**
 * The ports the services depend on. Adapters implement them: repository/ (PostgreSQL through
 * Prisma), clients/ (identity over gRPC), adapters/ (inspecting uploaded files) and the platform (document
 * storage, upload links, spooling upload bodies); tests substitute in-memory fakes.
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
  /**
   * How many of the applicant's applications are PENDING and not yet over (returnAt > now): a
   * stale undecided one can no longer be approved, so it does not count toward the limit.
   */
  pendingCountOf(applicantId: string, now: Date): Promise<number>;
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

/**
 * Single-use upload links (platform PgUploadLinkStore over `upload_links`): the subject is the
 * application, the kind the document kind.
 */
export type DocumentUploadLinks = UploadLinkStore<DocumentKind>;

/** Upload bodies spooled to local files under a size limit (platform LocalUploadSpool). */
export type { SpooledFile, UploadSpool } from '@campus/platform';

/**
 * Where document bytes live (platform LocalFileStorage or S3FileStorage). Nothing in it is ever
 * served without a signed link.
 */
export type DocumentStorage = FileStorage;

/** Tells what a file really is, from its content (never from its name or claimed type). */
export interface DocumentInspector {
  /** The file's format and, for audio, its length; refuses a format the kind does not accept. */
  inspect(file: string, kind: DocumentKind, sizeBytes: number): Promise<InspectedDocument>;
}

/**
 * What one check-out did here (checkout_withdrawals): the participant's memory that makes both
 * calls idempotent by check-out id.
 */
export interface CheckoutRecord {
  checkoutId: string;
  /** The leaving student; null for a tombstone. */
  studentId: string | null;
  /** The applications the check-out withdrew (empty when none was pending, or for a tombstone). */
  withdrawnIds: string[];
  /** When the withdrawal ran; null for a tombstone (the undo came first, so it never runs). */
  withdrawnAt: Date | null;
  /** When the check-out was undone; then nothing changes here for it any more. */
  reinstatedAt: Date | null;
  /** The applications the undo made pending again. */
  reinstatedIds: string[];
}

/** One check-out call's transaction: everything read and written through it lands all or none. */
export interface CheckoutTransaction {
  /** This check-out's record, if a call of it already ran. */
  record(): Promise<CheckoutRecord | null>;
  saveRecord(record: CheckoutRecord): Promise<void>;
  /** The student's PENDING applications (ids), oldest first. */
  pendingOf(studentId: string): Promise<string[]>;
  /** The streams' events, each stream in version order (streams that do not exist are absent). */
  load(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>>;
  /** As EventStore.commit (CONFLICT when another command appended first), within this transaction. */
  commit(commit: Commit): Promise<void>;
}

export interface CheckoutStore {
  /**
   * Runs `work` in one transaction holding the check-out's lock (the calls of one check-out are
   * serialized: a retry waits for the first call to finish); rolls all of it back when `work` throws.
   */
  transaction<T>(checkoutId: string, work: (tx: CheckoutTransaction) => Promise<T>): Promise<T>;
}
