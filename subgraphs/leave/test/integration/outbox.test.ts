// The transactional outbox of the leave service against real PostgreSQL and RabbitMQ, with the
// broker connection cut by a TCP proxy: mutations keep working, readiness reports the broker, and
// when the broker is back every event arrives once. Then two service instances relay one backlog
// concurrently without duplicates.
import { validateEvent } from '@campus/contracts';
import { TcpProxy, eventually, inParallel, png, staff, student, wav } from '@campus/testkit';
import {
  dataOf,
  decide,
  submitApplication,
  uploadDocument,
  withdraw,
  type ApplicationResult,
} from '../support/applications';
import { startLeaveHarness, type LeaveHarness, type LeaveReplica } from '../support/harness';
import { allPublished, health, outboxRows } from '../support/wait';

const AMQP_PORT = Number(new URL(process.env.AMQP_URL ?? 'amqp://127.0.0.1:5672').port || 5672);
const proxiedAmqp = (proxy: TcpProxy) => `amqp://guest:guest@127.0.0.1:${proxy.port}`;
const educator = staff('educator');

/** A sample of the Prometheus counter `name` on an instance. */
async function counter(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('with the broker unreachable', () => {
  let h: LeaveHarness;
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = await new TcpProxy(AMQP_PORT).start();
    h = await startLeaveHarness({ amqpUrl: proxiedAmqp(proxy) });
  });

  afterAll(async () => {
    await h?.stop();
    await proxy?.stop();
  });

  test('mutations keep succeeding, readiness names the broker, and every event arrives once when it is back', async () => {
    const minor = student({ isMinor: true });
    const adult = student();
    h.identity.add(minor).add(adult);

    // connected: an event goes straight through
    const before = await submitApplication(h, adult);
    await allPublished(h);
    expect(h.observer.about(before.id).map((m) => m.body.type)).toEqual(['campus.leave.application.submitted.v1']);
    expect((await health(h.baseUrl, 'readiness')).status).toBe(200);

    proxy.cut();
    const down = await eventually(
      () => health(h.baseUrl, 'readiness'),
      (r) => r.status === 503,
      10_000,
      'readiness to fail',
    );
    expect(down.body).toMatchObject({
      status: 'unavailable',
      failing: ['broker'],
      checks: { database: 'up', broker: 'down', storage: 'up' },
    });
    expect((await health(h.baseUrl, 'liveness')).status).toBe(200);

    // the service keeps serving mutations (and reads) while the broker is down
    const trip = await submitApplication(h, minor);
    expect((await uploadDocument(h, minor, trip.id, 'VOICE_MESSAGE', wav(2), 'audio/wav')).status).toBe(201);
    expect((await uploadDocument(h, minor, trip.id, 'PARENT_LETTER', png(), 'image/png')).status).toBe(201);
    const approved = dataOf(await decide(h, educator, trip.id, 'APPROVE')).decideLeaveApplication;
    const second = await submitApplication(h, adult);
    const rejected = dataOf(await decide(h, educator, second.id, 'REJECT', 'Exams')).decideLeaveApplication;
    const third = await submitApplication(h, adult);
    const withdrawn = dataOf(await withdraw(h, adult, third.id)).withdrawLeaveApplication;
    const during: ApplicationResult[] = [approved, rejected, withdrawn];
    expect(during.map((a) => a.status)).toEqual(['APPROVED', 'REJECTED', 'WITHDRAWN']);
    const expectedDuring = during.flatMap((a) => a.history).length;
    expect(expectedDuring).toBe(8);

    // nothing was lost and nothing went out: the events wait in the outbox
    const waiting = (await outboxRows(h)).filter((r) => !r.published);
    expect(waiting).toHaveLength(expectedDuring);
    await h.observer.flush();
    expect(h.observer.messages).toHaveLength(1);
    expect((await health(h.baseUrl, 'readiness')).status).toBe(503);

    proxy.restore();
    await eventually(
      () => health(h.baseUrl, 'readiness'),
      (r) => r.status === 200,
      15_000,
      'readiness to recover',
    );
    const rows = await allPublished(h);

    // every event arrived exactly once, in outbox order, and each is valid
    const arrived = h.observer.messages.map((m) => m.body.id);
    expect(arrived).toEqual(rows.map((r) => r.id));
    expect(new Set(arrived).size).toBe(rows.length);
    expect(arrived.slice(1)).toEqual(waiting.map((r) => r.id));
    for (const message of h.observer.messages) expect(validateEvent(message.body)).toEqual({ valid: true, errors: [] });
    for (const application of during) {
      expect(h.observer.about(application.id).map((m) => m.body.type.split('.')[3])).toEqual(
        application.history.map((e) => e.type.toLowerCase()),
      );
    }
  });
});

describe('two instances relaying one outbox', () => {
  let h: LeaveHarness;
  let replica: LeaveReplica;
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = await new TcpProxy(AMQP_PORT).start();
    h = await startLeaveHarness({ amqpUrl: proxiedAmqp(proxy) });
    replica = await h.startReplica({ amqpUrl: proxiedAmqp(proxy) });
  });

  afterAll(async () => {
    await h?.stop();
    await proxy?.stop();
  });

  test('publish a shared backlog concurrently with no event twice', async () => {
    proxy.cut();
    // A backlog of several relay batches (100 rows each), written through both instances by 16
    // clients at a time: what is asserted is that every event goes out once, not how fast a busy
    // machine accepts 400 calls at once (that is the overload test's subject).
    const students = Array.from({ length: 12 }, () => student());
    for (const s of students) h.identity.add(s);
    const instances = [h, replica];
    const submitted = await inParallel(400, 16, async (i) => {
      const instance = instances[i % 2]!;
      const res = await instance.gql<{ submitLeaveApplication: { id: string } }>(
        students[i % students.length]!,
        'mutation($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id } }',
        {
          input: {
            leaveAt: new Date(Date.now() + 86_400_000).toISOString(),
            returnAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
            reason: `Trip ${i}`,
            contactPhone: '9123456789',
          },
        },
      );
      return dataOf(res).submitLeaveApplication.id;
    });
    expect(new Set(submitted).size).toBe(400);
    const backlog = await outboxRows(h);
    expect(backlog.filter((r) => !r.published)).toHaveLength(400);

    proxy.restore();
    // One more mutation on each instance wakes both relays at once, as live traffic would.
    const wakeUps = await Promise.all(
      instances.map((instance, i) =>
        instance.gql<{ decideLeaveApplication: { status: string } }>(
          educator,
          'mutation($id: ID!) { decideLeaveApplication(id: $id, decision: REJECT, reason: "Full") { status } }',
          {
            id: submitted[i]!,
          },
        ),
      ),
    );
    expect(wakeUps.map((r) => dataOf(r).decideLeaveApplication.status)).toEqual(['REJECTED', 'REJECTED']);

    const rows = await allPublished(h, 60_000);
    expect(rows).toHaveLength(402);
    const arrived = h.observer.messages.map((m) => m.body.id);
    expect(arrived).toHaveLength(402);
    expect(new Set(arrived)).toEqual(new Set(rows.map((r) => r.id)));

    // Each relay counts what it published: together exactly the outbox, so neither repeated a row.
    const published = await Promise.all(
      [h.baseUrl, replica.baseUrl].map((url) => counter(url, 'campus_outbox_published_total')),
    );
    expect(published[0]! + published[1]!).toBe(402);
    // and both took part (each relay claims at most one batch of 100 at a time)
    expect(Math.min(...published)).toBeGreaterThan(0);
  });
});
