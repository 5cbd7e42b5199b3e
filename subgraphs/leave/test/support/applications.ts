// GraphQL operations on leave applications, as a client sends them, for the integration tests.
import type { GraphQLResponse, TestUser } from '@campus/testkit';
import type { LeaveHarness } from './harness';

export const APPLICATION_FIELDS = `
  id status version isMinor reason contactPhone leaveAt returnAt submittedAt decidedAt decisionReason withdrawnAt
  applicant { id } decidedBy { id }
  residence { building entrance floor room }
  documents { id kind contentType sizeBytes durationSeconds uploadedAt uploadedBy { id } downloadUrl downloadUrlExpiresAt }
  history { version type actor { id } at traceId data }
`;

export interface ApplicationResult {
  id: string;
  status: string;
  version: number;
  isMinor: boolean;
  reason: string;
  contactPhone: string;
  leaveAt: string;
  returnAt: string;
  decisionReason: string | null;
  withdrawnAt: string | null;
  applicant: { id: string };
  decidedBy: { id: string } | null;
  residence: { building: string; entrance: number; floor: number; room: string } | null;
  documents: Array<{
    id: string;
    kind: string;
    contentType: string;
    sizeBytes: number;
    durationSeconds: number | null;
    downloadUrl: string;
    uploadedBy: { id: string };
  }>;
  history: Array<{
    version: number;
    type: string;
    /** Null for what the system did (a check-out). */
    actor: { id: string } | null;
    at: string;
    traceId: string | null;
    data: Record<string, unknown>;
  }>;
}

const HOUR = 3_600_000;

export const futurePeriod = (fromNowHours = 24, lengthHours = 48) => {
  const leaveAt = new Date(Date.now() + fromNowHours * HOUR);
  return { leaveAt: leaveAt.toISOString(), returnAt: new Date(leaveAt.getTime() + lengthHours * HOUR).toISOString() };
};

export async function submitApplication(
  h: LeaveHarness,
  user: TestUser,
  overrides: Record<string, unknown> = {},
): Promise<ApplicationResult> {
  const res = await h.gql<{ submitLeaveApplication: ApplicationResult }>(
    user,
    `mutation($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { ${APPLICATION_FIELDS} } }`,
    { input: { ...futurePeriod(), reason: 'Family visit', contactPhone: '+7 912 345-67-89', ...overrides } },
  );
  if (!res.data?.submitLeaveApplication) throw new Error(`submit failed: ${JSON.stringify(res.errors)}`);
  return res.data.submitLeaveApplication;
}

export interface UploadTicketResult {
  uploadUrl: string;
  method: string;
  expiresAt: string;
  maxBytes: number;
}

export async function requestUpload(h: LeaveHarness, user: TestUser, applicationId: string, kind: string) {
  return h.gql<{ requestLeaveDocumentUpload: UploadTicketResult }>(
    user,
    'mutation($id: ID!, $kind: LeaveDocumentKind!) { requestLeaveDocumentUpload(applicationId: $id, kind: $kind) { uploadUrl method expiresAt maxBytes } }',
    { id: applicationId, kind },
  );
}

/** Asks for a link and PUTs the bytes; returns the HTTP response. */
export async function uploadDocument(
  h: LeaveHarness,
  user: TestUser,
  applicationId: string,
  kind: string,
  bytes: Buffer,
  contentType = 'application/octet-stream',
) {
  const ticket = await requestUpload(h, user, applicationId, kind);
  if (!ticket.data) throw new Error(`upload link refused: ${JSON.stringify(ticket.errors)}`);
  const res = await fetch(ticket.data.requestLeaveDocumentUpload.uploadUrl, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': contentType },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function decide(
  h: LeaveHarness,
  user: TestUser,
  id: string,
  decision: 'APPROVE' | 'REJECT',
  reason?: string,
) {
  return h.gql<{ decideLeaveApplication: ApplicationResult }>(
    user,
    `mutation($id: ID!, $decision: LeaveDecision!, $reason: String) { decideLeaveApplication(id: $id, decision: $decision, reason: $reason) { ${APPLICATION_FIELDS} } }`,
    { id, decision, reason },
  );
}

export async function withdraw(h: LeaveHarness, user: TestUser, id: string) {
  return h.gql<{ withdrawLeaveApplication: ApplicationResult }>(
    user,
    `mutation($id: ID!) { withdrawLeaveApplication(id: $id) { ${APPLICATION_FIELDS} } }`,
    { id },
  );
}

export async function removeDocument(h: LeaveHarness, user: TestUser, applicationId: string, documentId: string) {
  return h.gql<{ removeLeaveDocument: ApplicationResult }>(
    user,
    `mutation($a: ID!, $d: ID!) { removeLeaveDocument(applicationId: $a, documentId: $d) { ${APPLICATION_FIELDS} } }`,
    { a: applicationId, d: documentId },
  );
}

/** The application as `user` reads it (null data when refused or missing). */
export async function readApplication(h: LeaveHarness, user: TestUser, id: string) {
  return h.gql<{ leaveApplication: ApplicationResult | null }>(
    user,
    `query($id: ID!) { leaveApplication(id: $id) { ${APPLICATION_FIELDS} } }`,
    { id },
  );
}

/** The data of a successful GraphQL call, or a failure naming the errors. */
export function dataOf<T>(res: GraphQLResponse<T>): T {
  if (res.errors?.length || !res.data) throw new Error(`GraphQL call failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}
