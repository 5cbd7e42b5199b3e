import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadLeaveConfig } from '../../src/config';

// Download links are signed with FILE_URL_SECRET; without it (development, tests) the key must
// not be something anyone can read in the source.
describe('loadLeaveConfig: the download-link key', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leave-config-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  test('without FILE_URL_SECRET: random per data directory, kept owner-only and reused', () => {
    const file = path.join(dataDir(), '.data', 'leave-file-url-secret');
    const first = loadLeaveConfig({ NODE_ENV: 'development', FILE_URL_SECRET_FILE: file }).fileUrlSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(first).not.toBe('campus-sirius-dev-only-file-url-secret-change-me');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadLeaveConfig({ NODE_ENV: 'development', FILE_URL_SECRET_FILE: file }).fileUrlSecret).toBe(first);

    const elsewhere = path.join(dataDir(), 'leave-file-url-secret');
    expect(loadLeaveConfig({ NODE_ENV: 'test', FILE_URL_SECRET_FILE: elsewhere }).fileUrlSecret).not.toBe(first);
  });

  test('FILE_URL_SECRET wins; production requires it', () => {
    const secret = 's'.repeat(40);
    const file = path.join(dataDir(), 'unused');
    expect(loadLeaveConfig({ FILE_URL_SECRET: secret, FILE_URL_SECRET_FILE: file }).fileUrlSecret).toBe(secret);
    expect(fs.existsSync(file)).toBe(false);
    expect(() => loadLeaveConfig({ NODE_ENV: 'production', FILE_URL_SECRET_FILE: file })).toThrow(/FILE_URL_SECRET/);
  });

  test('FILE_URL_SECRETS_ACCEPTED: the keys a rotation accepts besides FILE_URL_SECRET', () => {
    const file = path.join(dataDir(), 'accepted');
    const [next, previous] = ['n'.repeat(40), 'p'.repeat(40)];
    expect(loadLeaveConfig({ FILE_URL_SECRET_FILE: file }).fileUrlSecretsAccepted).toEqual([]);
    expect(
      loadLeaveConfig({ FILE_URL_SECRET_FILE: file, FILE_URL_SECRETS_ACCEPTED: ` ${next} ,${previous}` })
        .fileUrlSecretsAccepted,
    ).toEqual([next, previous]);
  });

  test('a leave length, a horizon and a pending count limit, configurable', () => {
    const file = path.join(dataDir(), 'secret');
    expect(loadLeaveConfig({ FILE_URL_SECRET_FILE: file }).limits).toEqual({
      maxDays: 30,
      maxDaysAhead: 90,
      maxPendingPerStudent: 5,
    });
    expect(
      loadLeaveConfig({
        FILE_URL_SECRET_FILE: file,
        LEAVE_MAX_DAYS: '7',
        LEAVE_MAX_DAYS_AHEAD: '14',
        LEAVE_MAX_PENDING_PER_STUDENT: '2',
      }).limits,
    ).toEqual({ maxDays: 7, maxDaysAhead: 14, maxPendingPerStudent: 2 });
  });
});
