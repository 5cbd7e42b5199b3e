// Published events against real PostgreSQL and RabbitMQ: every step of an application's life goes
// out once, as a CloudEvents 1.0 envelope whose data validates against its JSON Schema
// (packages/contracts/events), in the order of the stream.
import { validateEvent } from '@campus/contracts';
import { pdf, png, staff, student, wav, type ObservedMessage } from '@campus/testkit';
import {
  dataOf,
  decide,
  readApplication,
  removeDocument,
  submitApplication,
  uploadDocument,
  withdraw,
  type ApplicationResult,
} from '../support/applications';
import { startLeaveHarness, type LeaveHarness } from '../support/harness';
import { allPublished } from '../support/wait';

const TYPE_OF_HISTORY: Record<string, string> = {
  SUBMITTED: 'campus.leave.application.submitted.v1',
  DOCUMENT_ATTACHED: 'campus.leave.application.document_attached.v1',
  DOCUMENT_REMOVED: 'campus.leave.application.document_removed.v1',
  APPROVED: 'campus.leave.application.approved.v1',
  REJECTED: 'campus.leave.application.rejected.v1',
  WITHDRAWN: 'campus.leave.application.withdrawn.v1',
  REINSTATED: 'campus.leave.application.reinstated.v1',
};

let h: LeaveHarness;
const minor = student({ isMinor: true, residence: { building: '9', entrance: 2, floor: 4, room: '9421' } });
const adult = student();
const educator = staff('educator');
let approved: ApplicationResult;
let rejected: ApplicationResult;
let withdrawn: ApplicationResult;

beforeAll(async () => {
  h = await startLeaveHarness();
  h.identity.add(minor).add(adult);

  // minor: submitted → voice message + letter attached → letter removed → approved
  const submitted = await submitApplication(h, minor, { contactPhone: '8 (912) 345-67-89' });
  const voice = await uploadDocument(h, minor, submitted.id, 'VOICE_MESSAGE', wav(3), 'audio/wav');
  expect(voice.status).toBe(201);
  const letter = await uploadDocument(h, educator, submitted.id, 'PARENT_LETTER', png(), 'image/png');
  expect(letter.status).toBe(201);
  dataOf(await removeDocument(h, minor, submitted.id, (letter.body.document as { id: string }).id));
  approved = dataOf(await decide(h, educator, submitted.id, 'APPROVE', '  Have a good trip  ')).decideLeaveApplication;

  // adult: submitted (with a scan) → rejected; submitted → withdrawn
  const second = await submitApplication(h, adult);
  expect((await uploadDocument(h, adult, second.id, 'SIGNED_APPLICATION', pdf(), 'application/pdf')).status).toBe(201);
  rejected = dataOf(await decide(h, educator, second.id, 'REJECT', 'Exams on Monday')).decideLeaveApplication;
  const third = await submitApplication(h, adult);
  withdrawn = dataOf(await withdraw(h, adult, third.id)).withdrawLeaveApplication;

  await allPublished(h);
});

afterAll(async () => {
  await h?.stop();
});

test('every event of the three applications is published exactly once, and nothing else', async () => {
  const expected = [approved, rejected, withdrawn].flatMap((a) => a.history);
  expect(expected.map((e) => e.type)).toEqual([
    'SUBMITTED',
    'DOCUMENT_ATTACHED',
    'DOCUMENT_ATTACHED',
    'DOCUMENT_REMOVED',
    'APPROVED',
    'SUBMITTED',
    'DOCUMENT_ATTACHED',
    'REJECTED',
    'SUBMITTED',
    'WITHDRAWN',
  ]);
  const ids = h.observer.messages.map((m) => m.body.id);
  expect(ids).toHaveLength(expected.length);
  expect(new Set(ids).size).toBe(ids.length);
  const { rows } = await h.leave.internals.pool.query<{ id: string }>('SELECT id::text AS id FROM outbox ORDER BY seq');
  expect(ids).toEqual(rows.map((r) => r.id));
});

test('each message is a valid CloudEvents 1.0 envelope whose data matches its JSON Schema', () => {
  expect(h.observer.messages.length).toBeGreaterThan(0);
  for (const message of h.observer.messages) {
    expect({ type: message.body.type, ...validateEvent(message.body) }).toEqual({
      type: message.body.type,
      valid: true,
      errors: [],
    });
    expect(message.body).toMatchObject({
      specversion: '1.0',
      source: '/campus/leave',
      datacontenttype: 'application/json',
    });
    // AMQP properties agree with the envelope: consumers route and de-duplicate on them
    expect(message.routingKey).toBe(message.body.type);
    expect(message.messageId).toBe(message.body.id);
    expect(message.contentType).toBe('application/cloudevents+json');
  }
});

test('the validator used above does catch a contract violation', () => {
  const sample = h.observer.messages.find((m) => m.body.type === TYPE_OF_HISTORY.DOCUMENT_ATTACHED)!.body;
  const data = sample.data as Record<string, unknown>;
  expect(validateEvent({ ...sample, data: { ...data, storageKey: 'applications/x.wav' } }).valid).toBe(false);
  expect(validateEvent({ ...sample, specversion: '0.3' }).valid).toBe(false);
  expect(validateEvent({ ...sample, type: 'campus.leave.application.teleported.v1' }).valid).toBe(false);
});

test('per application, events go out in stream order, with the subject and time of their history entry', () => {
  for (const application of [approved, rejected, withdrawn]) {
    const published = h.observer.about(application.id);
    expect(published.map((m) => m.body.type)).toEqual(application.history.map((e) => TYPE_OF_HISTORY[e.type]));
    published.forEach((message, i) => expect(message.body.time).toBe(application.history[i]!.at));
  }
});

test('event data carries the facts consumers need, and no internal details', async () => {
  const of = (
    application: ApplicationResult,
    type: string,
  ): ObservedMessage['body'] & { data: Record<string, unknown> } =>
    h.observer.about(application.id).find((m) => m.body.type === TYPE_OF_HISTORY[type])!.body as never;

  expect(of(approved, 'SUBMITTED').data).toEqual({
    applicationId: approved.id,
    applicantId: minor.id,
    leaveAt: approved.leaveAt,
    returnAt: approved.returnAt,
    reason: 'Family visit',
    contactPhone: '+79123456789',
    isMinor: true,
    residence: { building: '9', entrance: 2, floor: 4, room: '9421' },
  });
  const attached = h.observer.about(approved.id).filter((m) => m.body.type === TYPE_OF_HISTORY.DOCUMENT_ATTACHED);
  expect(attached.map((m) => m.body.data)).toEqual([
    expect.objectContaining({
      kind: 'voice_message',
      contentType: 'audio/wav',
      sizeBytes: wav(3).length,
      attachedBy: minor.id,
    }),
    expect.objectContaining({
      kind: 'parent_letter',
      contentType: 'image/png',
      durationSeconds: null,
      attachedBy: educator.id,
    }),
  ]);
  expect((attached[0]!.body.data as { durationSeconds: number }).durationSeconds).toBeCloseTo(3, 1);
  for (const m of h.observer.messages) expect(JSON.stringify(m.body)).not.toContain('storageKey');
  expect(of(approved, 'DOCUMENT_REMOVED').data).toEqual({
    applicationId: approved.id,
    documentId: (attached[1]!.body.data as { documentId: string }).documentId,
    removedBy: minor.id,
  });
  expect(of(approved, 'APPROVED').data).toEqual({
    applicationId: approved.id,
    applicantId: minor.id,
    decidedBy: educator.id,
    leaveAt: approved.leaveAt,
    returnAt: approved.returnAt,
    isMinor: true,
    residence: { building: '9', entrance: 2, floor: 4, room: '9421' },
  });
  expect(of(rejected, 'REJECTED').data).toEqual({
    applicationId: rejected.id,
    applicantId: adult.id,
    decidedBy: educator.id,
    reason: 'Exams on Monday',
  });
  expect(of(withdrawn, 'WITHDRAWN').data).toEqual({
    applicationId: withdrawn.id,
    applicantId: adult.id,
    withdrawnBy: adult.id,
    checkoutId: null, // the applicant's own withdrawal (a check-out's: test/integration/checkout.test.ts)
  });

  // and the audit trail says the same: who did what
  const history = dataOf(await readApplication(h, educator, approved.id)).leaveApplication!.history;
  expect(history.map((e) => [e.version, e.type, e.actor?.id])).toEqual([
    [1, 'SUBMITTED', minor.id],
    [2, 'DOCUMENT_ATTACHED', minor.id],
    [3, 'DOCUMENT_ATTACHED', educator.id],
    [4, 'DOCUMENT_REMOVED', minor.id],
    [5, 'APPROVED', educator.id],
  ]);
  // each entry's data is a JSON object (not JSON in a string), without storage details
  const attachedDocumentId = (attached[0]!.body.data as { documentId: string }).documentId;
  expect(history[1]!.data).toEqual(
    expect.objectContaining({ documentId: attachedDocumentId, kind: 'voice_message', contentType: 'audio/wav' }),
  );
  expect(history[3]!.data).toEqual({ documentId: (attached[1]!.body.data as { documentId: string }).documentId });
  for (const entry of history) expect(entry.data).not.toHaveProperty('storageKey');
  expect(approved).toMatchObject({
    status: 'APPROVED',
    decisionReason: 'Have a good trip',
    decidedBy: { id: educator.id },
    version: 5,
  });
});
