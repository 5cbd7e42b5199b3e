import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@campus/platform';
import { createTestDatabase, freePort, graphqlRequest, type GraphQLResponse, type TestDatabase } from '@campus/testkit';
import { startLeave, type RunningLeave } from '../../src/app';
import { loadLeaveConfig, type LeaveConfig } from '../../src/config';
import type { Clock } from '../../src/services/ports';
import { AMQP_URL, EventObserver } from './amqp';
import { createTestAuth, type TestUser } from './auth';
import { IdentityDouble } from './identity-double';

/** A clock tests can move forward (link expiry…); it follows real time otherwise. */
export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** Another instance of the service (same database, exchange and documents): a replica. */
export interface LeaveReplica {
  leave: RunningLeave;
  baseUrl: string;
  gql<T = Record<string, unknown>>(user: TestUser | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

export interface LeaveHarness {
  leave: RunningLeave;
  config: LeaveConfig;
  database: TestDatabase;
  identity: IdentityDouble;
  observer: EventObserver;
  clock: TestClock;
  baseUrl: string;
  dataDir: string;
  exchange: string;
  tokenFor(user: TestUser): Promise<string>;
  /** Starts one more instance on the same database (its AMQP URL may differ, e.g. a proxy). */
  startReplica(options?: { amqpUrl?: string }): Promise<LeaveReplica>;
  /** A GraphQL call as `user` (anonymous when null). */
  gql<T = Record<string, unknown>>(user: TestUser | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** AMQP URL the service uses (e.g. through a TcpProxy); the observer always uses the real broker. */
  amqpUrl?: string;
  env?: Record<string, string>;
}

/**
 * The leave service in-process on a fresh database, with a real identity gRPC double, local
 * test tokens, its own exchange (observed by a bound queue) and its own document directory.
 */
export async function startLeaveHarness(options: HarnessOptions = {}): Promise<LeaveHarness> {
  const database = await createTestDatabase('leave');
  const identity = await new IdentityDouble().start();
  const auth = await createTestAuth();
  const exchange = `campus.events.test.${randomBytes(4).toString('hex')}`;
  const observer = await new EventObserver(exchange).start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leave-it-'));
  const httpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const config = loadLeaveConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HTTP_PORT: String(httpPort),
    GRPC_PORT: '0',
    DATABASE_URL: database.url,
    DB_POOL_SIZE: '5',
    AMQP_URL: options.amqpUrl ?? AMQP_URL,
    AMQP_EXCHANGE: exchange,
    IDENTITY_GRPC_URL: `127.0.0.1:${identity.port}`,
    GRPC_DEADLINE_MS: '2000',
    PUBLIC_BASE_URL: baseUrl,
    DOCUMENT_STORAGE_DIR: path.join(dataDir, 'documents'),
    UPLOAD_SPOOL_DIR: path.join(dataDir, 'spool'),
    ...options.env,
  });
  const clock = new TestClock();
  const logger = createLogger('leave', process.env.LEAVE_TEST_LOG ?? 'silent');
  const leave = await startLeave(config, { tokenVerifier: auth.verifier, clock, logger });
  const gqlAt =
    (url: string) =>
    async <T = Record<string, unknown>>(user: TestUser | null, query: string, variables?: Record<string, unknown>) =>
      graphqlRequest<T>(url, query, { variables: variables ?? {}, ...(user ? { token: await auth.tokenFor(user) } : {}) });
  const replicas: RunningLeave[] = [];
  const startReplica = async ({ amqpUrl }: { amqpUrl?: string } = {}): Promise<LeaveReplica> => {
    const port = await freePort();
    const replicaUrl = `http://127.0.0.1:${port}`;
    const replica = await startLeave(
      { ...config, httpPort: port, grpcPort: 0, ...(amqpUrl ? { amqp: { ...config.amqp, url: amqpUrl } } : {}) },
      { tokenVerifier: auth.verifier, clock, logger },
    );
    replicas.push(replica);
    return { leave: replica, baseUrl: replicaUrl, gql: gqlAt(`${replicaUrl}/graphql`) };
  };
  return {
    leave,
    config,
    database,
    identity,
    observer,
    clock,
    baseUrl,
    dataDir,
    exchange,
    tokenFor: auth.tokenFor,
    startReplica,
    gql: gqlAt(`${baseUrl}/graphql`),
    stop: async () => {
      for (const replica of replicas) await replica.close();
      await leave.close();
      await identity.stop();
      await observer.stop();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

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
  applicant: { id: string };
  decidedBy: { id: string } | null;
  residence: { building: string; entrance: number; floor: number; room: string } | null;
  documents: Array<{ id: string; kind: string; contentType: string; sizeBytes: number; durationSeconds: number | null; downloadUrl: string; uploadedBy: { id: string } }>;
  history: Array<{ version: number; type: string; actor: { id: string }; at: string; traceId: string | null; data: string }>;
}

const HOUR = 3_600_000;

export const futurePeriod = (fromNowHours = 24, lengthHours = 48) => {
  const leaveAt = new Date(Date.now() + fromNowHours * HOUR);
  return { leaveAt: leaveAt.toISOString(), returnAt: new Date(leaveAt.getTime() + lengthHours * HOUR).toISOString() };
};

export async function submitApplication(h: LeaveHarness, user: TestUser, overrides: Record<string, unknown> = {}): Promise<ApplicationResult> {
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
export async function uploadDocument(h: LeaveHarness, user: TestUser, applicationId: string, kind: string, bytes: Buffer, contentType = 'application/octet-stream') {
  const ticket = await requestUpload(h, user, applicationId, kind);
  if (!ticket.data) throw new Error(`upload link refused: ${JSON.stringify(ticket.errors)}`);
  const res = await fetch(ticket.data.requestLeaveDocumentUpload.uploadUrl, { method: 'PUT', body: bytes, headers: { 'content-type': contentType } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function decide(h: LeaveHarness, user: TestUser, id: string, decision: 'APPROVE' | 'REJECT', reason?: string) {
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
  return h.gql<{ leaveApplication: ApplicationResult | null }>(user, `query($id: ID!) { leaveApplication(id: $id) { ${APPLICATION_FIELDS} } }`, { id });
}

/** The data of a successful GraphQL call, or a failure naming the errors. */
export function dataOf<T>(res: GraphQLResponse<T>): T {
  if (res.errors?.length || !res.data) throw new Error(`GraphQL call failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}
