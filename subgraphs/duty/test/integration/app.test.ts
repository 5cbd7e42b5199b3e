// The duty service in-process on a fresh database and a real broker: it becomes ready, and its
// readiness does not depend on identity (only roster generation, moves and a user's duties need it).
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
  it('is ready once its database and broker answer, identity down or not', async () => {
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
