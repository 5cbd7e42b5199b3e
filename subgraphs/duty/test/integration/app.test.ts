// The duty service in-process on a fresh database and a real broker: it becomes ready once they
// answer. (Identity's reachability, grpc:identity, is a readiness check of the real gRPC client
// only: this harness injects a campus double, and platform's grpc-reachability test covers it.)
import { eventually } from '@campus/testkit';
import { startDutyHarness, type DutyHarness } from '../support/harness';

let h: DutyHarness;

beforeAll(async () => {
  h = await startDutyHarness('2026-03-01T09:00:00.000Z');
  h.campus.down = true;
});

afterAll(async () => {
  await h?.stop();
});

describe('the duty service', () => {
  it('is ready once its database and broker answer', async () => {
    const readiness = await eventually(
      async () => {
        const res = await fetch(`${h.baseUrl}/health/readiness`);
        return { status: res.status, body: (await res.json()) as unknown };
      },
      (r) => r.status === 200,
      10_000,
      'readiness',
    );
    expect(readiness.body).toMatchObject({ status: 'ok', checks: { database: 'up', broker: 'up' } });
  });
});
