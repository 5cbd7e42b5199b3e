// The bench's open loop: calls go out on a timetable whatever the target does, and a call's
// latency counts from when it was due, so a target that falls behind is charged for its queue.
import { compareTargets, type Call, type Scenario, type Target } from '../../src/load';

const scenario: Scenario = {
  name: 'join',
  concurrency: 4,
  request: (worker, n): Call => ({ query: '{ me { id } }', token: `user-${worker}`, variables: { n } }),
};

/** A target that serves one call at a time, each taking `serviceMs`; it records who called. */
function serialTarget(serviceMs: number): Target & { callers: string[] } {
  let free = Promise.resolve();
  const callers: string[] = [];
  return {
    name: 'serial',
    callers,
    send: (call) => {
      callers.push(call.token);
      const answered = free.then(() => new Promise<void>((resolve) => setTimeout(resolve, serviceMs)));
      free = answered;
      return answered.then(() => ({ ok: true }));
    },
  };
}

const atRate = (target: Target, rate: number, seconds: number) =>
  compareTargets(scenario, [target], { seconds, rounds: 1, warmupSeconds: 0, rate });

it("sends the scenario's users in turn, as many calls as the timetable holds", async () => {
  const target = serialTarget(1);
  const { serial } = await atRate(target, 100, 0.4);
  expect(serial!.requests).toBe(40);
  expect(target.callers.slice(0, 6)).toEqual(['user-0', 'user-1', 'user-2', 'user-3', 'user-0', 'user-1']);
  expect(serial!.errors).toBe(0);
});

it('charges a target that falls behind for the calls queued behind it', async () => {
  // 40 calls due within 0.2 s, served one by one in 20 ms each: the last is answered ~0.8 s
  // after it was due, though the target itself took only 20 ms for it
  const { serial } = await atRate(serialTarget(20), 200, 0.2);
  expect(serial!.requests).toBe(40);
  expect(serial!.p50_ms).toBeGreaterThan(200);
  expect(serial!.p99_ms).toBeGreaterThan(500);
});
