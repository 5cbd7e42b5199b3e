import type { ApplicationView, DocumentView } from '../domain/application-view';
import type { LeaveApplicationState } from '../domain/leave-application';
import type { ApplicationRow, DocumentRow, Prisma } from './database';

/**
 * The read model's rows (`leave_applications_view`, `leave_documents_view`) ↔ the folded state.
 * A command's commit (event-store.repository.ts) and the rebuild (projection.repository.ts) both
 * write through these, so a rebuild reproduces the live tables exactly.
 */

export function toApplicationRow(state: LeaveApplicationState): Prisma.LeaveApplicationViewCreateManyInput {
  return {
    id: state.id,
    version: state.version,
    status: state.status,
    applicantId: state.applicantId,
    leaveAt: state.leaveAt,
    returnAt: state.returnAt,
    reason: state.reason,
    contactPhone: state.contactPhone,
    isMinor: state.isMinor,
    building: state.residence?.building ?? null,
    entrance: state.residence?.entrance ?? null,
    floor: state.residence?.floor ?? null,
    room: state.residence?.room ?? null,
    submittedAt: state.submittedAt,
    decidedBy: state.decidedBy,
    decidedAt: state.decidedAt,
    decisionReason: state.decisionReason,
    withdrawnAt: state.withdrawnAt,
    withdrawnByCheckoutId: state.withdrawnByCheckoutId,
    updatedAt: state.updatedAt,
  };
}

export function toDocumentRows(state: LeaveApplicationState): Prisma.LeaveDocumentViewCreateManyInput[] {
  return state.documents.map((d) => ({
    id: d.id,
    applicationId: state.id,
    kind: d.kind,
    contentType: d.contentType,
    sizeBytes: d.sizeBytes,
    durationSeconds: d.durationSeconds,
    storageKey: d.storageKey,
    uploadedBy: d.uploadedBy,
    uploadedAt: d.uploadedAt,
  }));
}

export function fromApplicationRow(row: ApplicationRow): ApplicationView {
  const { building, entrance, floor, room, ...rest } = row;
  const residence =
    building !== null && entrance !== null && floor !== null && room !== null
      ? { building, entrance, floor, room }
      : null;
  return { ...rest, residence };
}

export function fromDocumentRow(row: DocumentRow): DocumentView {
  return { ...row };
}
