// The read model is a projection of the event store: rebuilding it from the events alone (in
// process, and through the documented command) must reproduce the live tables row for row, also
// when commands run during the rebuild.
import { spawn } from 'node:child_process';
import { REPO_ROOT, jpg, pdf, png, staff, student, wav } from '@campus/testkit';
import { rebuildProjection } from '../../src/repository/projection.repository';
import { dataOf, decide, removeDocument, submitApplication, uploadDocument, withdraw } from '../support/applications';
import { startLeaveHarness, type LeaveHarness } from '../support/harness';

let h: LeaveHarness;
const educator = staff('educator');
const minor = student({ isMinor: true });
const adult = student({ residence: { building: '9', entrance: 3, floor: 2, room: '9231' } });
const homeless = student({ residence: null });

interface Snapshot {
  applications: Record<string, unknown>[];
  documents: Record<string, unknown>[];
}

/** Every column of both read-model tables, in a stable order. */
async function readModel(): Promise<Snapshot> {
  const pool = h.leave.internals.pool;
  const applications = (await pool.query('SELECT * FROM leave_applications_view ORDER BY id')).rows;
  const documents = (await pool.query('SELECT * FROM leave_documents_view ORDER BY id')).rows;
  return { applications, documents };
}

const eventCount = async () =>
  Number((await h.leave.internals.pool.query('SELECT count(*) AS n FROM leave_events')).rows[0].n);

/** Runs `npm run rebuild-projection -w @campus/leave` against the test database. */
function runRebuildCommand(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'rebuild-projection', '-w', '@campus/leave'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: h.database.url, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  h = await startLeaveHarness();
  h.identity.add(minor).add(adult).add(homeless);

  // pending, with a voice message and a scan
  const pending = await submitApplication(h, minor);
  await uploadDocument(h, minor, pending.id, 'VOICE_MESSAGE', wav(2), 'audio/wav');
  await uploadDocument(h, educator, pending.id, 'SIGNED_APPLICATION', jpg(), 'image/jpeg');
  // approved with a comment, one of two documents removed before
  const approved = await submitApplication(h, adult, { reason: 'Olympiad in Moscow' });
  await uploadDocument(h, adult, approved.id, 'SIGNED_APPLICATION', pdf(), 'application/pdf');
  const letter = await uploadDocument(h, adult, approved.id, 'PARENT_LETTER', png(), 'image/png');
  dataOf(await removeDocument(h, educator, approved.id, (letter.body.document as { id: string }).id));
  dataOf(await decide(h, educator, approved.id, 'APPROVE', 'Good luck'));
  // rejected; withdrawn; an applicant without a residence
  dataOf(await decide(h, educator, (await submitApplication(h, adult)).id, 'REJECT', 'Exams'));
  dataOf(await withdraw(h, adult, (await submitApplication(h, adult)).id));
  await submitApplication(h, homeless);
});

afterAll(async () => {
  await h?.stop();
});

test('the fixture covers every status and documents', async () => {
  const live = await readModel();
  expect(live.applications.map((a) => a.status).sort()).toEqual([
    'APPROVED',
    'PENDING',
    'PENDING',
    'REJECTED',
    'WITHDRAWN',
  ]);
  expect(live.documents.map((d) => d.kind).sort()).toEqual([
    'signed_application',
    'signed_application',
    'voice_message',
  ]);
  expect(live.applications.some((a) => a.building === null)).toBe(true);
});

test('rebuilding from the event store reproduces the live read model exactly', async () => {
  const live = await readModel();
  const report = await rebuildProjection(h.leave.internals.db, 2); // small batches: several pages of streams
  expect(report).toEqual({ streams: 5, events: await eventCount(), documents: 3 });
  expect(await readModel()).toEqual(live);
});

test('the rebuild command repairs a damaged read model and reports what it replayed', async () => {
  const live = await readModel();
  const pool = h.leave.internals.pool;
  const [first, second] = live.applications as Array<{ id: string }>;
  await pool.query('DELETE FROM leave_applications_view WHERE id = $1', [first!.id]); // cascades to its documents
  await pool.query(
    "UPDATE leave_applications_view SET status = 'APPROVED', reason = 'tampered', version = 99 WHERE id = $1",
    [second!.id],
  );
  await pool.query('DELETE FROM leave_documents_view WHERE id = $1', [(live.documents[0] as { id: string }).id]);
  expect(await readModel()).not.toEqual(live);

  const run = await runRebuildCommand();
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const line = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.msg === 'leave projection rebuilt from the event store');
  expect(line).toMatchObject({ streams: 5, events: await eventCount(), documents: 3 });
  expect(await readModel()).toEqual(live);
});

test('a rebuild running while commands commit still ends equal to a fresh replay', async () => {
  const pending = (await readModel()).applications.filter((a) => a.status === 'PENDING') as Array<{ id: string }>;
  const more = Array.from({ length: 6 }, () => submitApplication(h, adult));
  const [rebuilt] = await Promise.all([
    rebuildProjection(h.leave.internals.db),
    ...more,
    ...pending.map((a) => decide(h, educator, a.id, 'REJECT', 'Closed for the holidays')),
  ]);
  expect(rebuilt.streams).toBeGreaterThanOrEqual(5);
  const live = await readModel();
  expect(live.applications).toHaveLength(11);
  expect(live.applications.filter((a) => a.status === 'PENDING')).toHaveLength(6);
  await rebuildProjection(h.leave.internals.db);
  expect(await readModel()).toEqual(live);
});
