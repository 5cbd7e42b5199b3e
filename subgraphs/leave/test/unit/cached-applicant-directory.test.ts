import { CachedApplicantDirectory } from '../../src/adapters/cached-applicant-directory';
import type { ApplicantSnapshot } from '../../src/domain/leave-application';
import type { ApplicantDirectory } from '../../src/services/ports';

const snapshot = (id: string): ApplicantSnapshot => ({
  id,
  isActive: true,
  isMinor: false,
  residence: { building: '8', entrance: 1, floor: 1, room: '1101' },
});

/** An identity double that counts lookups and can be told to fail or to answer slowly. */
function countingDirectory() {
  const calls: Array<{ userId: string; token: string }> = [];
  let failNext = false;
  const directory: ApplicantDirectory = {
    async applicant(userId, token) {
      calls.push({ userId, token });
      await new Promise((r) => setTimeout(r, 20));
      if (failNext) {
        failNext = false;
        throw new Error('identity down');
      }
      return snapshot(userId);
    },
  };
  return { directory, calls, failOnce: () => (failNext = true) };
}

describe('CachedApplicantDirectory', () => {
  it('asks identity once per student while the entry lives, also for concurrent submissions', async () => {
    const identity = countingDirectory();
    const cached = new CachedApplicantDirectory(identity.directory, { ttlMs: 60_000, maxEntries: 100 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => cached.applicant('u1', 'token-u1')));
    expect(answers).toEqual(Array(5).fill(snapshot('u1')));
    await cached.applicant('u1', 'token-u1');
    await cached.applicant('u2', 'token-u2');
    expect(identity.calls).toEqual([
      { userId: 'u1', token: 'token-u1' },
      { userId: 'u2', token: 'token-u2' },
    ]);
  });

  it('never caches a failure: the next submission asks again', async () => {
    const identity = countingDirectory();
    const cached = new CachedApplicantDirectory(identity.directory, { ttlMs: 60_000, maxEntries: 100 });
    identity.failOnce();
    await expect(cached.applicant('u1', 't')).rejects.toThrow('identity down');
    await expect(cached.applicant('u1', 't')).resolves.toEqual(snapshot('u1'));
    expect(identity.calls).toHaveLength(2);
  });

  it('asks again once the entry has expired, and every time when the TTL is 0', async () => {
    const identity = countingDirectory();
    const short = new CachedApplicantDirectory(identity.directory, { ttlMs: 30, maxEntries: 100 });
    await short.applicant('u1', 't');
    await new Promise((r) => setTimeout(r, 60));
    await short.applicant('u1', 't');
    expect(identity.calls).toHaveLength(2);

    const off = new CachedApplicantDirectory(identity.directory, { ttlMs: 0, maxEntries: 100 });
    await off.applicant('u1', 't');
    await off.applicant('u1', 't');
    expect(identity.calls).toHaveLength(4);
  });
});
