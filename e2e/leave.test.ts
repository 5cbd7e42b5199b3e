// End-to-end through the router with identity and leave as real processes over seeded databases
// (issue: leave applications). Tests act like clients: GraphQL and the upload/download URLs on the
// router only, real audio and scan files generated here, published events read from RabbitMQ.
import amqp, { type ChannelModel } from 'amqplib';
import { validateEvent } from '@campus/contracts';
import { errorCodes, eventually, mp3, pdf, png, wav } from '@campus/testkit';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(120_000);

const HOUR = 3_600_000;
const APPLICATION = `id status isMinor version reason contactPhone leaveAt returnAt
  residence { building entrance room }
  applicant { id fullName }
  decidedBy { id fullName }
  documents { id kind contentType sizeBytes durationSeconds downloadUrl uploadedBy { id } }
  history { version type actor { id } traceId }`;
const SUBMIT = `mutation Submit($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { ${APPLICATION} } }`;
const UPLOAD = `mutation Upload($id: ID!, $kind: LeaveDocumentKind!) {
  requestLeaveDocumentUpload(applicationId: $id, kind: $kind) { uploadUrl method maxBytes expiresAt } }`;
const DECIDE = `mutation Decide($id: ID!, $decision: LeaveDecision!, $reason: String) {
  decideLeaveApplication(id: $id, decision: $decision, reason: $reason) { ${APPLICATION} } }`;
const READ = `query Read($id: ID!) { leaveApplication(id: $id) { ${APPLICATION} } }`;

interface Application {
  id: string;
  status: string;
  isMinor: boolean;
  version: number;
  reason: string;
  contactPhone: string;
  leaveAt: string;
  returnAt: string;
  residence: { building: string; entrance: number; room: string } | null;
  applicant: { id: string; fullName: string };
  decidedBy: { id: string; fullName: string } | null;
  documents: {
    id: string;
    kind: string;
    contentType: string;
    sizeBytes: number;
    durationSeconds: number | null;
    downloadUrl: string;
    uploadedBy: { id: string };
  }[];
  history: { version: number; type: string; actor: { id: string }; traceId: string | null }[];
}
interface Received {
  routingKey: string;
  messageId: string;
  body: { id: string; type: string; subject: string; traceparent?: string; data: Record<string, unknown> };
}

let stack: Stack;
let amqpConnection: ChannelModel;
const received: Received[] = [];
const tokens = { minor: '', adult: '', educator: '', admin: '' };
const ids = { minor: '', adult: '', educator: '' };

async function ok<T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await stack.graphql<T>(query, { variables, token });
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

const period = (fromNowHours: number, hours: number) => {
  const leaveAt = new Date(Date.now() + fromNowHours * HOUR);
  return { leaveAt: leaveAt.toISOString(), returnAt: new Date(leaveAt.getTime() + hours * HOUR).toISOString() };
};

async function submit(token: string, reason: string): Promise<Application> {
  const input = { ...period(24, 30), reason, contactPhone: '8 (999) 123-45-67' };
  return (await ok<{ submitLeaveApplication: Application }>(SUBMIT, token, { input })).submitLeaveApplication;
}

/** Asks for an upload URL and sends the bytes to it, like `curl -T file <uploadUrl>`. */
async function upload(
  token: string,
  applicationId: string,
  kind: string,
  body: Buffer,
  headers: Record<string, string> = {},
) {
  const { requestLeaveDocumentUpload: link } = await ok<{
    requestLeaveDocumentUpload: { uploadUrl: string; method: string; maxBytes: number };
  }>(UPLOAD, token, { id: applicationId, kind });
  expect(link.uploadUrl.startsWith(`${stack.routerUrl}/uploads/leave/`)).toBe(true);
  const res = await fetch(link.uploadUrl, { method: link.method, body, headers });
  return {
    status: res.status,
    body: (await res.json()) as {
      error_code?: string;
      details?: Record<string, unknown>;
      document?: Record<string, unknown>;
    },
  };
}

function eventsAbout(applicationId: string, count: number): Promise<Received[]> {
  return eventually(
    () => received.filter((m) => m.body.subject === applicationId),
    (about) => about.length >= count,
    20_000,
    `${count} events about ${applicationId}`,
  );
}

beforeAll(async () => {
  stack = await startStack({ services: ['identity', 'leave'] });
  amqpConnection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  const channel = await amqpConnection.createChannel();
  await channel.assertExchange(stack.amqpExchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, stack.amqpExchange, 'campus.leave.#');
  await channel.consume(
    queue,
    (m) =>
      m &&
      received.push({
        routingKey: m.fields.routingKey,
        messageId: String(m.properties.messageId),
        body: JSON.parse(m.content.toString()),
      }),
    { noAck: true },
  );

  const [minor, adult, educator, admin] = await Promise.all(
    ['student.minor', 'student.adult', 'educator', 'admin'].map((name) => stack.login(`${name}@sirius.local`)),
  );
  Object.assign(tokens, { minor, adult, educator, admin });
  for (const who of ['minor', 'adult', 'educator'] as const)
    ids[who] = (await ok<{ me: { id: string } }>('{ me { id } }', tokens[who])).me.id;
});

afterAll(async () => {
  await amqpConnection?.close().catch(() => undefined);
  await stack?.stop();
});

describe('a minor’s leave application', () => {
  let application: Application;
  const voice = wav(3);
  const scan = pdf();

  it('is submitted with isMinor and residence taken from identity', async () => {
    application = await submit(tokens.minor, 'Grandmother’s birthday');
    expect(application).toMatchObject({
      status: 'PENDING',
      isMinor: true,
      version: 1,
      contactPhone: '+79991234567',
      residence: { building: '8', entrance: 1 },
      applicant: { id: ids.minor },
      decidedBy: null,
      documents: [],
    });
    expect(application.applicant.fullName.length).toBeGreaterThan(3); // resolved by identity
  });

  it('cannot be approved without the parent’s voice message', async () => {
    const res = await stack.graphql(DECIDE, {
      variables: { id: application.id, decision: 'APPROVE' },
      token: tokens.educator,
    });
    expect(errorCodes(res)).toEqual(['LEAVE_VOICE_MESSAGE_REQUIRED']);
    expect(res.errors![0]!.extensions!.details).toMatchObject({
      applicationId: application.id,
      requiredDocument: 'voice_message',
    });
  });

  it('takes a WAV voice message, an MP3 and a scan uploaded through the router', async () => {
    const wavUpload = await upload(tokens.minor, application.id, 'VOICE_MESSAGE', voice, {
      'content-type': 'audio/wav',
    });
    expect(wavUpload.status).toBe(201);
    expect(wavUpload.body.document).toMatchObject({
      kind: 'VOICE_MESSAGE',
      contentType: 'audio/wav',
      sizeBytes: voice.length,
      uploadedBy: { id: expect.any(String) },
    });
    const mp3Upload = await upload(tokens.minor, application.id, 'VOICE_MESSAGE', mp3(2), {
      'content-type': 'audio/mpeg',
    });
    expect(mp3Upload.status).toBe(201);
    expect(mp3Upload.body.document).toMatchObject({ contentType: 'audio/mpeg' });
    const scanUpload = await upload(tokens.minor, application.id, 'SIGNED_APPLICATION', scan, {
      'content-type': 'application/pdf',
    });
    expect(scanUpload.status).toBe(201);

    const { leaveApplication } = await ok<{ leaveApplication: Application }>(READ, tokens.educator, {
      id: application.id,
    });
    expect(leaveApplication.documents.map((d) => [d.kind, d.contentType, d.uploadedBy.id])).toEqual([
      ['VOICE_MESSAGE', 'audio/wav', ids.minor],
      ['VOICE_MESSAGE', 'audio/mpeg', ids.minor],
      ['SIGNED_APPLICATION', 'application/pdf', ids.minor],
    ]);
    expect(leaveApplication.documents[0]!.durationSeconds).toBeCloseTo(3, 1);
    expect(leaveApplication.documents[1]!.durationSeconds).toBeCloseTo(2, 0);
  });

  it('serves the uploaded bytes back through the router’s signed download URL', async () => {
    const { leaveApplication } = await ok<{ leaveApplication: Application }>(READ, tokens.minor, {
      id: application.id,
    });
    const [audio, , document] = leaveApplication.documents;
    for (const [doc, bytes, type] of [
      [audio!, voice, 'audio/wav'],
      [document!, scan, 'application/pdf'],
    ] as const) {
      expect(doc.downloadUrl.startsWith(`${stack.routerUrl}/files/leave/`)).toBe(true);
      const res = await fetch(doc.downloadUrl);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
    const forged = await fetch(audio!.downloadUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error_code: 'LEAVE_FILE_LINK_INVALID' });
  });

  it('refuses a 3-minute voice message and a PNG renamed .mp3, keeping neither', async () => {
    const long = wav(180);
    expect(long.length).toBeLessThan(5 * 1024 * 1024); // short enough in bytes: refused for its length
    const tooLong = await upload(tokens.minor, application.id, 'VOICE_MESSAGE', long, { 'content-type': 'audio/wav' });
    expect(tooLong).toMatchObject({
      status: 400,
      body: { error_code: 'LEAVE_VOICE_MESSAGE_TOO_LONG', details: { maxDurationSeconds: 120 } },
    });

    const disguised = await upload(tokens.minor, application.id, 'VOICE_MESSAGE', png(), {
      'content-type': 'audio/mpeg',
      'content-disposition': 'attachment; filename="voice.mp3"',
    });
    expect(disguised).toMatchObject({
      status: 400,
      body: { error_code: 'LEAVE_DOCUMENT_TYPE_NOT_ALLOWED', details: { detected: 'image/png' } },
    });

    const { leaveApplication } = await ok<{ leaveApplication: Application }>(READ, tokens.minor, {
      id: application.id,
    });
    expect(leaveApplication.documents).toHaveLength(3);
    expect(leaveApplication.version).toBe(4);
  });

  it('answers an oversized file with 413 and a used link with 403 through the router, even mid-upload', async () => {
    const other = await submit(tokens.minor, 'Regional olympiad');
    // Refused before the body has arrived: the client must still get the answer, not a 502.
    const oversized = Buffer.concat([pdf(), Buffer.alloc(11 * 1024 * 1024)]);
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await upload(tokens.minor, other.id, 'PARENT_LETTER', oversized);
      expect(res).toMatchObject({
        status: 413,
        body: { error_code: 'LEAVE_DOCUMENT_TOO_LARGE', details: { maxBytes: 10 * 1024 * 1024 } },
      });
    }
    const { requestLeaveDocumentUpload: link } = await ok<{ requestLeaveDocumentUpload: { uploadUrl: string } }>(
      UPLOAD,
      tokens.minor,
      {
        id: other.id,
        kind: 'PARENT_LETTER',
      },
    );
    expect((await fetch(link.uploadUrl, { method: 'PUT', body: png() })).status).toBe(201);
    const again = await fetch(link.uploadUrl, {
      method: 'PUT',
      body: Buffer.concat([pdf(), Buffer.alloc(4 * 1024 * 1024)]),
    });
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ error_code: 'LEAVE_UPLOAD_LINK_INVALID', details: { reason: 'used' } });
    const { leaveApplication } = await ok<{ leaveApplication: Application }>(READ, tokens.minor, { id: other.id });
    expect(leaveApplication.documents.map((d) => [d.kind, d.contentType])).toEqual([['PARENT_LETTER', 'image/png']]);
  });

  it('is not for another student to decide, read or attach to', async () => {
    const decide = await stack.graphql(DECIDE, {
      variables: { id: application.id, decision: 'APPROVE' },
      token: tokens.adult,
    });
    expect(errorCodes(decide)).toEqual(['FORBIDDEN']);
    const read = await stack.graphql<{ leaveApplication: Application | null }>(READ, {
      variables: { id: application.id },
      token: tokens.adult,
    });
    expect(errorCodes(read)).toEqual(['FORBIDDEN']);
    expect(read.data?.leaveApplication ?? null).toBeNull();
    const list = await stack.graphql('query L($a: ID!) { leaveApplications(filter: { applicantId: $a }) { total } }', {
      variables: { a: ids.minor },
      token: tokens.adult,
    });
    expect(errorCodes(list)).toEqual(['FORBIDDEN']);
    const attach = await stack.graphql(UPLOAD, {
      variables: { id: application.id, kind: 'VOICE_MESSAGE' },
      token: tokens.adult,
    });
    expect(errorCodes(attach)).toEqual(['FORBIDDEN']);
    // nor for the applicant herself to decide
    const own = await stack.graphql(DECIDE, {
      variables: { id: application.id, decision: 'APPROVE' },
      token: tokens.minor,
    });
    expect(errorCodes(own)).toEqual(['FORBIDDEN']);
  });

  it('is approved by an educator, with the whole history kept', async () => {
    const { decideLeaveApplication } = await ok<{ decideLeaveApplication: Application }>(DECIDE, tokens.educator, {
      id: application.id,
      decision: 'APPROVE',
      reason: 'Back by Sunday evening',
    });
    expect(decideLeaveApplication).toMatchObject({ status: 'APPROVED', version: 5, decidedBy: { id: ids.educator } });
    expect(decideLeaveApplication.decidedBy!.fullName.length).toBeGreaterThan(3); // resolved by identity
    expect(decideLeaveApplication.history.map((e) => [e.type, e.actor.id])).toEqual([
      ['SUBMITTED', ids.minor],
      ['DOCUMENT_ATTACHED', ids.minor],
      ['DOCUMENT_ATTACHED', ids.minor],
      ['DOCUMENT_ATTACHED', ids.minor],
      ['APPROVED', ids.educator],
    ]);
    const again = await stack.graphql(DECIDE, {
      variables: { id: application.id, decision: 'REJECT', reason: 'changed my mind' },
      token: tokens.educator,
    });
    expect(errorCodes(again)).toEqual(['LEAVE_APPLICATION_FINAL']);
    application = decideLeaveApplication;
  });

  it('published every step once as a valid CloudEvent carrying the request’s trace', async () => {
    const events = await eventsAbout(application.id, application.history.length);
    expect(events.map((m) => m.body.type)).toEqual([
      'campus.leave.application.submitted.v1',
      'campus.leave.application.document_attached.v1',
      'campus.leave.application.document_attached.v1',
      'campus.leave.application.document_attached.v1',
      'campus.leave.application.approved.v1',
    ]);
    expect(new Set(events.map((m) => m.body.id)).size).toBe(events.length);
    events.forEach((message, i) => {
      expect(validateEvent(message.body)).toEqual({ valid: true, errors: [] });
      expect(message.routingKey).toBe(message.body.type);
      expect(message.messageId).toBe(message.body.id);
      // the event continues the trace of the mutation that caused it (the history records it too)
      expect(application.history[i]!.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(message.body.traceparent?.split('-')[1]).toBe(application.history[i]!.traceId);
    });
    expect(events.at(-1)!.body.data).toMatchObject({
      applicationId: application.id,
      applicantId: ids.minor,
      decidedBy: ids.educator,
      isMinor: true,
    });
  });
});

describe('me { leaveApplications } across subgraphs', () => {
  it('gives each student their own applications with status and history, next to identity’s fields', async () => {
    const adultApplication = await submit(tokens.adult, 'Dentist appointment');
    const query = '{ me { id fullName leaveApplications { id status history { type } } } }';
    type Me = {
      me: {
        id: string;
        fullName: string;
        leaveApplications: { id: string; status: string; history: { type: string }[] }[];
      };
    };

    const minor = (await ok<Me>(query, tokens.minor)).me;
    expect(minor.id).toBe(ids.minor);
    expect(minor.fullName.length).toBeGreaterThan(3);
    expect(minor.leaveApplications).toContainEqual(
      expect.objectContaining({
        status: 'APPROVED',
        history: [
          { type: 'SUBMITTED' },
          { type: 'DOCUMENT_ATTACHED' },
          { type: 'DOCUMENT_ATTACHED' },
          { type: 'DOCUMENT_ATTACHED' },
          { type: 'APPROVED' },
        ],
      }),
    );
    expect(minor.leaveApplications.map((a) => a.id)).not.toContain(adultApplication.id);

    const adult = (await ok<Me>(query, tokens.adult)).me;
    expect(adult.leaveApplications).toEqual([
      { id: adultApplication.id, status: 'PENDING', history: [{ type: 'SUBMITTED' }] },
    ]);

    // an educator follows a student to their applications; a student cannot look at another's
    const { user } = await ok<{ user: { leaveApplications: { id: string }[] } }>(
      'query U($id: ID!) { user(id: $id) { leaveApplications(status: PENDING) { id } } }',
      tokens.educator,
      { id: ids.adult },
    );
    expect(user.leaveApplications.map((a) => a.id)).toEqual([adultApplication.id]);
    const peek = await stack.graphql('query U($id: ID!) { user(id: $id) { leaveApplications { id } } }', {
      variables: { id: ids.minor },
      token: tokens.adult,
    });
    expect(errorCodes(peek)).toContain('FORBIDDEN');
  });
});
