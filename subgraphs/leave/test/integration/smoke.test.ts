import { startLeaveHarness, submitApplication, type LeaveHarness } from '../support/harness';
import { student } from '../support/auth';

jest.setTimeout(60_000);
let h: LeaveHarness;
beforeAll(async () => {
  h = await startLeaveHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('smoke', async () => {
  const s = student();
  h.identity.add(s);
  const app = await submitApplication(h, s);
  console.log(JSON.stringify(app, null, 1));
  await h.observer.waitFor((m) => m.length === 1);
  console.log(JSON.stringify(h.observer.messages, null, 1));
});
