import fs from 'node:fs';
import { Readable } from 'node:stream';
import { createLogger, type Page, type PageRequest, type UploadLink, type UploadLinkClaim } from '@campus/platform';
import { applicationViewOf, type ApplicationView, type DocumentView } from '../../src/domain/application-view';
import { concurrentModification, LeaveErrors } from '../../src/domain/errors';
import type { ApplicantSnapshot, RecordedEvent } from '../../src/domain/leave-application';
import type { DocumentKind } from '../../src/domain/documents';
import type {
  ApplicantDirectory,
  ApplicantPage,
  ApplicationFilter,
  CheckoutRecord,
  CheckoutStore,
  CheckoutTransaction,
  Commit,
  DocumentStorage,
  EventStore,
  ReadModel,
  DocumentUploadLinks,
} from '../../src/services/ports';

// In-memory adapters for service-level unit tests (no I/O).

/** Event store + read model over the same in-memory streams, with the real concurrency rule. */
export class InMemoryLeaveStore implements EventStore, ReadModel {
  readonly streams = new Map<string, RecordedEvent[]>();
  readonly views = new Map<string, ApplicationView>();
  readonly documents = new Map<string, DocumentView>();
  readonly commits: Commit[] = [];

  async load(streamId: string): Promise<RecordedEvent[]> {
    return [...(this.streams.get(streamId) ?? [])];
  }

  async commit(commit: Commit): Promise<void> {
    const stream = this.streams.get(commit.streamId) ?? [];
    if (stream.length !== commit.expectedVersion) throw concurrentModification(commit.streamId, commit.expectedVersion);
    this.streams.set(commit.streamId, [...stream, ...commit.events]);
    this.views.set(commit.streamId, applicationViewOf(commit.state));
    for (const [id, doc] of this.documents) if (doc.applicationId === commit.streamId) this.documents.delete(id);
    for (const doc of commit.state.documents) this.documents.set(doc.id, { ...doc, applicationId: commit.streamId });
    this.commits.push(commit);
  }

  async applicationsByIds(ids: readonly string[]) {
    return ids.flatMap((id) => (this.views.has(id) ? [this.views.get(id)!] : []));
  }

  async pendingCountOf(applicantId: string, now: Date): Promise<number> {
    return [...this.views.values()].filter(
      (v) => v.applicantId === applicantId && v.status === 'PENDING' && v.returnAt > now,
    ).length;
  }

  async list(filter: ApplicationFilter, page: PageRequest): Promise<Page<ApplicationView>> {
    const all = [...this.views.values()].filter((v) => !filter.applicantId || v.applicantId === filter.applicantId);
    return {
      items: all.slice(page.skip, page.skip + page.take),
      total: all.length,
      page: page.page,
      size: page.size,
      pages: Math.ceil(all.length / page.size),
    };
  }

  async applicationsOfApplicants(applicantIds: readonly string[], query: ApplicantPage) {
    return new Map(
      applicantIds.map((id) => [
        id,
        [...this.views.values()]
          .filter((v) => v.applicantId === id && (!query.status || v.status === query.status))
          .slice(query.page.skip, query.page.skip + query.page.take),
      ]),
    );
  }

  async documentsOf(applicationIds: readonly string[]) {
    return [...this.documents.values()].filter((d) => applicationIds.includes(d.applicationId));
  }

  async document(documentId: string) {
    return this.documents.get(documentId) ?? null;
  }

  async historyOf(applicationIds: readonly string[]) {
    return applicationIds.flatMap((id) => this.streams.get(id) ?? []);
  }

  async approvedCovering(at: Date, applicantIds: readonly string[] | null) {
    return [...this.views.values()].filter(
      (v) =>
        (!applicantIds || applicantIds.includes(v.applicantId)) &&
        v.status === 'APPROVED' &&
        v.leaveAt <= at &&
        at < v.returnAt,
    );
  }
}

/**
 * checkout_withdrawals over an InMemoryLeaveStore. A failed call is rolled back: its records and
 * its own commits are undone (what other commands committed meanwhile stays). `beforeCommit` lets
 * a test slip another command in between a call's read and its append.
 */
export class InMemoryCheckoutStore implements CheckoutStore {
  readonly records = new Map<string, CheckoutRecord>();
  beforeCommit: ((commit: Commit) => Promise<void>) | undefined;
  transactions = 0;

  constructor(readonly leave: InMemoryLeaveStore) {}

  async transaction<T>(checkoutId: string, work: (tx: CheckoutTransaction) => Promise<T>): Promise<T> {
    this.transactions++;
    const records = new Map(this.records);
    const undo: Array<() => void> = [];
    const tx: CheckoutTransaction = {
      record: async () => this.records.get(checkoutId) ?? null,
      saveRecord: async (record) => void this.records.set(record.checkoutId, record),
      pendingOf: async (studentId) =>
        [...this.leave.views.values()]
          .filter((v) => v.applicantId === studentId && v.status === 'PENDING')
          .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime())
          .map((v) => v.id),
      load: async (ids) =>
        new Map(ids.flatMap((id) => (this.leave.streams.has(id) ? [[id, [...this.leave.streams.get(id)!]]] : []))),
      commit: async (commit) => {
        await this.beforeCommit?.(commit);
        const [stream, view] = [this.leave.streams.get(commit.streamId), this.leave.views.get(commit.streamId)];
        await this.leave.commit(commit);
        undo.push(() => {
          this.leave.streams.set(commit.streamId, stream!);
          this.leave.views.set(commit.streamId, view!);
        });
      },
    };
    try {
      return await work(tx);
    } catch (error) {
      for (const step of undo.reverse()) step();
      this.records.clear();
      for (const [id, record] of records) this.records.set(id, record);
      throw error;
    }
  }
}

export class FakeApplicants implements ApplicantDirectory {
  readonly calls: Array<{ userId: string; token: string }> = [];
  readonly known = new Map<string, ApplicantSnapshot>();
  failure: Error | undefined;

  add(snapshot: ApplicantSnapshot): this {
    this.known.set(snapshot.id, snapshot);
    return this;
  }

  async applicant(userId: string, token: string): Promise<ApplicantSnapshot> {
    this.calls.push({ userId, token });
    if (this.failure) throw this.failure;
    const found = this.known.get(userId);
    if (!found) throw LeaveErrors.error('APPLICANT_NOT_FOUND', 'unknown applicant');
    return found;
  }
}

export class InMemoryUploadLinks implements DocumentUploadLinks {
  readonly links = new Map<string, UploadLink<DocumentKind> & { usedAt: Date | null }>();

  async create(tokenHash: string, link: UploadLink<DocumentKind>): Promise<void> {
    this.links.set(tokenHash, { ...link, usedAt: null });
  }

  async claim(tokenHash: string, now: Date): Promise<UploadLinkClaim<DocumentKind>> {
    const link = this.links.get(tokenHash);
    if (!link) return { status: 'unknown' };
    if (link.usedAt) return { status: 'used' };
    if (link.expiresAt <= now) return { status: 'expired' };
    link.usedAt = now;
    return { status: 'claimed', link };
  }
}

export class InMemoryStorage implements DocumentStorage {
  readonly objects = new Map<string, { bytes: Buffer; contentType: string }>();
  failPut = false;

  async put(key: string, fromFile: string, contentType: string): Promise<void> {
    if (this.failPut) throw new Error('storage down');
    this.objects.set(key, { bytes: await fs.promises.readFile(fromFile), contentType });
  }

  async open(key: string): Promise<Readable | null> {
    const object = this.objects.get(key);
    return object ? Readable.from([object.bytes]) : null;
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async check(): Promise<void> {}
}

export const silentLogger = createLogger('leave-test', 'silent');
