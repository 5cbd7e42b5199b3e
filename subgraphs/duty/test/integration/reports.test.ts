// Photo-checklist reports end to end against real PostgreSQL (outbox relay to RabbitMQ) and a
// local photo storage: upload links and real PUTs of JPEG/PNG bytes built here, type and size
// judged from the bytes, submit → reject → resubmit → accept with the events in the outbox, signed
// photo downloads, and the room's iCal feed.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { CloudEvent } from '@campus/platform';
import { testUser, type TestUser } from '@campus/testkit';
import { dutyMoments } from '../../src/domain/duty-times';
import { MAX_PHOTO_BYTES } from '../../src/domain/limits';
import type { RoomRef } from '../../src/domain/records';
import { REQUIRED_CATEGORIES } from '../../src/domain/reports';
import { toDateColumn } from '../../src/repository/schedule.mapper';
import { startDutyHarness, type DutyHarness } from '../support/harness';

jest.setTimeout(60_000);

// 12:00 in Moscow on the duty day.
const NOW = '2026-03-01T09:00:00.000Z';
let h: DutyHarness;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-reports-'));
  h = await startDutyHarness(NOW, {
    env: {
      DUTY_SWEEP_CRON: '0 0 1 1 *',
      PHOTO_STORAGE_DIR: path.join(dir, 'photos'),
      UPLOAD_SPOOL_DIR: path.join(dir, 'spool'),
      FILE_URL_SECRET_FILE: path.join(dir, 'secret'),
    },
  });
});
afterAll(async () => {
  await h?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => h.clock.set(NOW));

const db = () => h.duty.internals.db;

// ── bytes ─────────────────────────────────────────────────────────────────────────────────────

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real 1×1 RGB PNG. */
function png(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.from([0, 0xff, 0x80, 0x00]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of a JFIF JPEG (what file-type reads), padded. */
const jpeg = () =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'ascii'),
    Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
    Buffer.alloc(200, 0x11),
    Buffer.from([0xff, 0xd9]),
  ]);

const pdf = () => Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

// ── setup helpers ─────────────────────────────────────────────────────────────────────────────

async function insertDuty(room: RoomRef, date: string) {
  const month = date.slice(0, 7);
  const roster = await db().roster.upsert({
    where: { building_entrance_month: { building: room.building, entrance: room.entrance, month } },
    create: {
      id: randomUUID(),
      building: room.building,
      entrance: room.entrance,
      month,
      generatedBy: randomUUID(),
      generatedAt: new Date('2026-02-25T10:00:00.000Z'),
    },
    update: {},
  });
  return db().dutySchedule.create({
    data: {
      id: randomUUID(),
      rosterId: roster.id,
      roomId: room.roomId,
      building: room.building,
      entrance: room.entrance,
      floor: room.floor,
      roomNumber: room.number,
      dutyDate: toDateColumn(date),
      month,
      ...dutyMoments(date, h.config.times, h.config.campusTimeZone),
    },
  });
}

/** A room of its own building (no test sees another's duties) with two residents, and its head. */
function newRoom(number = '301') {
  const building = `R${randomUUID().slice(0, 6)}`;
  const room = h.campus.addRoom(building, 1, number);
  const [alice, bob] = [h.campus.moveIn(room), h.campus.moveIn(room)];
  const head = testUser({ roles: ['educator_head'], entrances: [{ building, entrance: 1 }] });
  return { building, room, alice, bob, head };
}

/** A URL handed out for the router, pointed at the service itself. */
const local = (url: string) => url.replace(h.config.publicBaseUrl.replace(/\/$/, ''), h.baseUrl);

const REQUEST_UPLOAD = `mutation($input: RequestDutyPhotoUploadInput!) {
  requestDutyPhotoUpload(input: $input) { uploadUrl method maxBytes acceptedContentTypes scheduleId category expiresAt }
}`;

async function uploadLink(user: TestUser, scheduleId: string, category: string): Promise<string> {
  const res = await h.gql<{ requestDutyPhotoUpload: { uploadUrl: string } }>(user, REQUEST_UPLOAD, {
    input: { scheduleId, category },
  });
  if (!res.data?.requestDutyPhotoUpload) throw new Error(JSON.stringify(res.errors));
  return res.data.requestDutyPhotoUpload.uploadUrl;
}

const put = (url: string, body: Buffer) => fetch(local(url), { method: 'PUT', body });

async function uploadAll(user: TestUser, scheduleId: string) {
  for (const category of REQUIRED_CATEGORIES) {
    const res = await put(await uploadLink(user, scheduleId, category.toUpperCase()), png());
    expect(res.status).toBe(201);
  }
}

const SCHEDULE = `query($id: ID!) { dutySchedule(id: $id) {
  id status version
  report { id status missingCategories photos { id category contentType sizeBytes url uploadedBy { id } } rejectionReason }
  reports { id status submittedBy { id } reviewedBy { id } rejectionReason }
} }`;

interface ScheduleView {
  id: string;
  status: string;
  report: {
    id: string;
    status: string;
    missingCategories: string[];
    photos: { id: string; category: string; contentType: string; sizeBytes: number; url: string }[];
  } | null;
  reports: { id: string; status: string; rejectionReason: string | null }[];
}

async function view(user: TestUser, id: string): Promise<ScheduleView> {
  const res = await h.gql<{ dutySchedule: ScheduleView }>(user, SCHEDULE, { id });
  if (!res.data?.dutySchedule) throw new Error(JSON.stringify(res.errors));
  return res.data.dutySchedule;
}

const errorOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions;

const outboxOf = async (scheduleId: string) =>
  (await db().outboxEvent.findMany({ orderBy: { seq: 'asc' } }))
    .map((row) => row.payload as unknown as CloudEvent<Record<string, unknown>>)
    .filter((e) => e.data.scheduleId === scheduleId);

const filesUnder = (sub: string): string[] => {
  const root = path.join(dir, 'photos', sub);
  return fs.existsSync(root) ? fs.readdirSync(root) : [];
};

// ── tests ─────────────────────────────────────────────────────────────────────────────────────

describe('photo uploads', () => {
  it('a link, a PUT of real PNG bytes: the photo is in the open draft, stored owner-only', async () => {
    const { room, alice } = newRoom();
    const duty = await insertDuty(room, '2026-03-01');
    const res = await h.gql<{ requestDutyPhotoUpload: Record<string, unknown> }>(alice, REQUEST_UPLOAD, {
      input: { scheduleId: duty.id, category: 'KITCHEN_STOVE' },
    });
    expect(res.data?.requestDutyPhotoUpload).toMatchObject({
      method: 'PUT',
      maxBytes: MAX_PHOTO_BYTES,
      acceptedContentTypes: ['image/jpeg', 'image/png'],
      scheduleId: duty.id,
      category: 'KITCHEN_STOVE',
    });
    const url = res.data!.requestDutyPhotoUpload.uploadUrl as string;
    expect(url).toMatch(/^http:\/\/localhost:4000\/uploads\/duty\/[A-Za-z0-9_-]{43}$/);

    const bytes = png();
    const upload = await put(url, bytes);
    expect(upload.status).toBe(201);
    const answer = (await upload.json()) as { photo: { id: string; category: string }; report: { status: string } };
    expect(answer).toMatchObject({
      scheduleId: duty.id,
      // GraphQL's words: the ChecklistCategory value and a User reference
      photo: {
        category: 'KITCHEN_STOVE',
        contentType: 'image/png',
        sizeBytes: bytes.length,
        uploadedBy: { id: alice.id },
      },
      report: { status: 'DRAFT' },
    });
    expect(JSON.stringify(answer)).not.toContain('storageKey');

    const seen = await view(alice, duty.id);
    expect(seen.status).toBe('PENDING');
    expect(seen.report).toMatchObject({
      status: 'DRAFT',
      photos: [{ id: answer.photo.id, category: 'KITCHEN_STOVE', contentType: 'image/png', sizeBytes: bytes.length }],
    });
    expect(seen.report!.missingCategories).toHaveLength(8);
    expect(seen.report!.missingCategories).not.toContain('KITCHEN_STOVE');
    const stored = path.join(dir, 'photos', 'photos', duty.id, `${answer.photo.id}.png`);
    expect(fs.readFileSync(stored)).toEqual(bytes);
    expect(fs.statSync(stored).mode & 0o777).toBe(0o600);

    // a JPEG is a photo too (POST works like PUT)
    const post = await fetch(local(await uploadLink(alice, duty.id, 'KITCHEN_APPLIANCES')), {
      method: 'POST',
      body: jpeg(),
    });
    expect(post.status).toBe(201);
    expect(await post.json()).toMatchObject({ photo: { category: 'KITCHEN_APPLIANCES', contentType: 'image/jpeg' } });
  });

  it('refuses what is not JPEG/PNG by its bytes, too large bodies with 413, and a used link', async () => {
    const { room, alice } = newRoom();
    const duty = await insertDuty(room, '2026-03-01');

    const asPdf = await put(await uploadLink(alice, duty.id, 'KITCHEN_SINK'), pdf());
    expect(asPdf.status).toBe(400);
    expect(await asPdf.json()).toMatchObject({
      error_code: 'DUTY_PHOTO_TYPE_NOT_ALLOWED',
      details: { detected: 'application/pdf', allowed: ['image/jpeg', 'image/png'] },
    });
    const asText = await put(await uploadLink(alice, duty.id, 'KITCHEN_SINK'), Buffer.from('just text, named .png'));
    expect(asText.status).toBe(400);
    expect(await asText.json()).toMatchObject({
      error_code: 'DUTY_PHOTO_TYPE_NOT_ALLOWED',
      details: { detected: null },
    });

    const huge = Buffer.concat([png(), Buffer.alloc(MAX_PHOTO_BYTES)]);
    const tooLarge = await put(await uploadLink(alice, duty.id, 'KITCHEN_SINK'), huge);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({
      error_code: 'DUTY_PHOTO_TOO_LARGE',
      details: { maxBytes: MAX_PHOTO_BYTES },
    });

    const url = await uploadLink(alice, duty.id, 'KITCHEN_SINK');
    expect((await put(url, png())).status).toBe(201);
    const again = await put(url, png());
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ error_code: 'DUTY_UPLOAD_LINK_INVALID', details: { reason: 'used' } });
    const forged = await put(`${h.baseUrl}/uploads/duty/${'x'.repeat(43)}`, png());
    expect(await forged.json()).toMatchObject({
      error_code: 'DUTY_UPLOAD_LINK_INVALID',
      details: { reason: 'unknown' },
    });

    // only the accepted photo was kept: nothing else reached the storage
    expect((await view(alice, duty.id)).report!.photos).toHaveLength(1);
    expect(filesUnder(`photos/${duty.id}`)).toHaveLength(1);
  });

  it('only on the duty day, only by the room, and the rules hold again when the bytes arrive', async () => {
    const { room, alice } = newRoom();
    const other = newRoom('302');
    const tomorrow = await insertDuty(room, '2026-03-02');
    const today = await insertDuty(other.room, '2026-03-01');

    const early = await h.gql(alice, REQUEST_UPLOAD, { input: { scheduleId: tomorrow.id, category: 'LIGHTS_OFF' } });
    expect(errorOf(early)).toMatchObject({
      code: 'DUTY_NOT_DUTY_DAY',
      details: { dutyDate: '2026-03-02', today: '2026-03-01' },
    });

    const foreign = await h.gql(alice, REQUEST_UPLOAD, { input: { scheduleId: today.id, category: 'LIGHTS_OFF' } });
    expect(errorOf(foreign)).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'room_resident' } });

    // a link taken at 22:59, used after 23:00 (campus time): refused, nothing stored
    h.clock.set('2026-03-01T19:59:00.000Z');
    const late = await uploadLink(other.alice, today.id, 'LIGHTS_OFF');
    h.clock.set('2026-03-01T20:00:30.000Z');
    const refused = await put(late, png());
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error_code: 'DUTY_DEADLINE_PASSED' });
    expect(filesUnder(`photos/${today.id}`)).toEqual([]);
  });

  it('removes a photo of the open draft (and its bytes)', async () => {
    const { room, alice, bob } = newRoom();
    const duty = await insertDuty(room, '2026-03-01');
    await put(await uploadLink(alice, duty.id, 'LIGHTS_OFF'), png());
    const [photo] = (await view(alice, duty.id)).report!.photos;
    const res = await h.gql<{ removeDutyPhoto: { photos: unknown[]; missingCategories: string[] } }>(
      bob,
      `mutation($input: RemoveDutyPhotoInput!) { removeDutyPhoto(input: $input) { photos { id } missingCategories } }`,
      { input: { scheduleId: duty.id, photoId: photo!.id } },
    );
    expect(res.data?.removeDutyPhoto.photos).toEqual([]);
    expect(res.data?.removeDutyPhoto.missingCategories).toContain('LIGHTS_OFF');
    expect(filesUnder(`photos/${duty.id}`)).toEqual([]);
    const again = await h.gql(
      bob,
      `mutation($input: RemoveDutyPhotoInput!) { removeDutyPhoto(input: $input) { id } }`,
      { input: { scheduleId: duty.id, photoId: photo!.id } },
    );
    expect(errorOf(again)).toMatchObject({ code: 'DUTY_PHOTO_NOT_FOUND' });
  });
});

const SUBMIT = `mutation($id: ID!) { submitDutyReport(scheduleId: $id) { id status version } }`;
const ACCEPT = `mutation($id: ID!) { acceptDutyReport(scheduleId: $id) { id status report { status reviewedBy { id } } } }`;
const REJECT = `mutation($input: RejectDutyReportInput!) { rejectDutyReport(input: $input) { id status report { status rejectionReason } } }`;

describe('submitting and reviewing', () => {
  it('incomplete → refused naming what is missing; complete → submit → reject → new draft → resubmit → accept', async () => {
    const { room, alice, bob, head } = newRoom();
    const duty = await insertDuty(room, '2026-03-01');
    await put(await uploadLink(alice, duty.id, 'KITCHEN_STOVE'), png());
    await put(await uploadLink(alice, duty.id, 'KITCHEN_APPLIANCES'), jpeg());

    const incomplete = await h.gql(alice, SUBMIT, { id: duty.id });
    expect(errorOf(incomplete)).toMatchObject({
      code: 'DUTY_REPORT_INCOMPLETE',
      details: { missing: REQUIRED_CATEGORIES.filter((c) => c !== 'kitchen_stove').map((c) => c.toUpperCase()) },
    });

    await uploadAll(bob, duty.id);
    const submitted = await h.gql<{ submitDutyReport: { status: string } }>(alice, SUBMIT, { id: duty.id });
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data?.submitDutyReport.status).toBe('REPORT_SUBMITTED');
    // submitted: no more photos, no second submission
    const closed = await h.gql(alice, REQUEST_UPLOAD, { input: { scheduleId: duty.id, category: 'LIGHTS_OFF' } });
    expect(errorOf(closed)).toMatchObject({ code: 'DUTY_DUTY_CLOSED', details: { status: 'REPORT_SUBMITTED' } });

    // a resident may not review; an educator_head of another entrance may not either
    expect(errorOf(await h.gql(alice, ACCEPT, { id: duty.id }))).toMatchObject({ code: 'FORBIDDEN' });
    const stranger = testUser({ roles: ['educator_head'], entrances: [{ building: 'elsewhere', entrance: 1 }] });
    expect(errorOf(await h.gql(stranger, ACCEPT, { id: duty.id }))).toMatchObject({
      code: 'FORBIDDEN',
      details: { rule: 'report_review' },
    });

    const blank = await h.gql(head, REJECT, { input: { scheduleId: duty.id, reason: '   ' } });
    expect(errorOf(blank)).toMatchObject({ code: 'DUTY_REJECTION_REASON_REQUIRED' });
    const rejected = await h.gql<{ rejectDutyReport: Record<string, unknown> }>(head, REJECT, {
      input: { scheduleId: duty.id, reason: 'The stove is greasy' },
    });
    expect(rejected.data?.rejectDutyReport).toMatchObject({
      status: 'PENDING',
      report: { status: 'REJECTED', rejectionReason: 'The stove is greasy' },
    });
    expect(errorOf(await h.gql(head, ACCEPT, { id: duty.id }))).toMatchObject({
      code: 'DUTY_REPORT_NOT_SUBMITTED',
      details: { status: 'REJECTED' },
    });

    // the next photo opens a new draft; the rejected report stays in the history
    await put(await uploadLink(alice, duty.id, 'KITCHEN_STOVE'), png());
    const redo = await view(alice, duty.id);
    expect(redo.reports.map((r) => r.status)).toEqual(['REJECTED', 'DRAFT']);
    expect(redo.report).toMatchObject({ status: 'DRAFT', photos: [{ category: 'KITCHEN_STOVE' }] });
    await uploadAll(alice, duty.id);
    expect((await h.gql<{ submitDutyReport: { status: string } }>(bob, SUBMIT, { id: duty.id })).data).toMatchObject({
      submitDutyReport: { status: 'REPORT_SUBMITTED' },
    });

    // the head's review list: oldest submission first, this entrance's only
    const list = await h.gql<{
      dutyReportsToReview: { total: number; items: { id: string; schedule: { id: string } }[] };
    }>(head, `{ dutyReportsToReview { total items { id status schedule { id } } } }`);
    expect(list.data?.dutyReportsToReview).toMatchObject({ total: 1, items: [{ schedule: { id: duty.id } }] });

    const accepted = await h.gql<{ acceptDutyReport: Record<string, unknown> }>(head, ACCEPT, { id: duty.id });
    expect(accepted.data?.acceptDutyReport).toMatchObject({
      status: 'ACCEPTED',
      report: { status: 'ACCEPTED', reviewedBy: { id: head.id } },
    });
    const listAfter = await h.gql<{ dutyReportsToReview: { total: number } }>(
      head,
      `{ dutyReportsToReview { total } }`,
    );
    expect(listAfter.data?.dutyReportsToReview.total).toBe(0);

    const events = await outboxOf(duty.id);
    expect(events.map((e) => e.type)).toEqual([
      'campus.duty.report.submitted.v1',
      'campus.duty.report.rejected.v1',
      'campus.duty.report.submitted.v1',
      'campus.duty.report.accepted.v1',
    ]);
    const [firstReport, secondReport] = redo.reports;
    const where = { scheduleId: duty.id, roomId: room.roomId, building: room.building, entrance: 1, roomNumber: '301' };
    expect(events[0]!.data).toEqual({
      ...where,
      dutyDate: '2026-03-01',
      reportId: firstReport!.id,
      submittedBy: alice.id,
      photoCount: 11, // stove and appliances, then all nine required
    });
    expect(events[1]!.data).toEqual({
      ...where,
      dutyDate: '2026-03-01',
      reportId: firstReport!.id,
      reviewedBy: head.id,
      residentIds: expect.arrayContaining([alice.id, bob.id]),
      reason: 'The stove is greasy',
      resubmitBy: '2026-03-01T20:00:00.000Z', // rejected before the deadline: it stays
    });
    expect(events[3]!.data).toMatchObject({ reportId: secondReport!.id, reviewedBy: head.id });
    expect((events[3]!.data.residentIds as string[]).sort()).toEqual([alice.id, bob.id].sort());
  });

  it("is the educators' (spec §2): the student_head reads the report but neither reviews nor lists it", async () => {
    const { building, room, alice } = newRoom();
    // a head living in the room itself, and one of the entrance living next door
    const ownHead = h.campus.moveIn(room, testUser({ roles: ['student', 'student_head'] }));
    const nextDoor = h.campus.moveIn(
      h.campus.addRoom(building, 1, '302'),
      testUser({ roles: ['student', 'student_head'] }),
    );
    const duty = await insertDuty(room, '2026-03-01');
    await uploadAll(alice, duty.id);
    expect((await h.gql(alice, SUBMIT, { id: duty.id })).errors).toBeUndefined();

    for (const studentHead of [ownHead, nextDoor]) {
      expect(errorOf(await h.gql(studentHead, ACCEPT, { id: duty.id }))).toMatchObject({
        code: 'FORBIDDEN',
        details: { rule: 'report_review', scheduleId: duty.id },
      });
      const rejected = await h.gql(studentHead, REJECT, { input: { scheduleId: duty.id, reason: 'Dusty' } });
      expect(errorOf(rejected)).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'report_review' } });
      for (const filter of [{}, { building, entrance: 1 }]) {
        const list = await h.gql(
          studentHead,
          `query($f: DutyReportFilter) { dutyReportsToReview(filter: $f) { total } }`,
          {
            f: filter,
          },
        );
        expect(errorOf(list)).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'report_review' } });
      }
      // reading stays theirs: the entrance's duty and its submitted report
      expect((await view(studentHead, duty.id)).report).toMatchObject({ status: 'SUBMITTED' });
    }
    expect(await outboxOf(duty.id)).toHaveLength(1); // the submission only

    const educator = testUser({ roles: ['educator'] });
    const queue = await h.gql<{ dutyReportsToReview: { items: { schedule: { id: string } }[] } }>(
      educator,
      `query($f: DutyReportFilter) { dutyReportsToReview(filter: $f) { items { schedule { id } } } }`,
      { f: { building, entrance: 1 } },
    );
    expect(queue.data?.dutyReportsToReview.items).toEqual([{ schedule: { id: duty.id } }]);
    const accepted = await h.gql<{ acceptDutyReport: Record<string, unknown> }>(educator, ACCEPT, { id: duty.id });
    expect(accepted.data?.acceptDutyReport).toMatchObject({
      status: 'ACCEPTED',
      report: { status: 'ACCEPTED', reviewedBy: { id: educator.id } },
    });
  });
});

describe('photo downloads', () => {
  it('a signed link serves the bytes privately, and stops working once expired or altered', async () => {
    const { room, alice } = newRoom();
    const duty = await insertDuty(room, '2026-03-01');
    const bytes = png();
    await put(await uploadLink(alice, duty.id, 'KITCHEN_SINK'), bytes);
    const [photo] = (await view(alice, duty.id)).report!.photos;
    expect(photo!.url).toMatch(/^http:\/\/localhost:4000\/files\/duty\//);

    const res = await fetch(local(photo!.url));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');

    const altered = await fetch(local(photo!.url.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))));
    expect(altered.status).toBe(403);
    expect(await altered.json()).toMatchObject({
      error_code: 'DUTY_FILE_LINK_INVALID',
      details: { reason: 'invalid' },
    });

    h.clock.advance(h.config.downloadUrlTtlMs + 1000);
    const expired = await fetch(local(photo!.url));
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({
      error_code: 'DUTY_FILE_LINK_INVALID',
      details: { reason: 'expired' },
    });
  });
});

describe('the room iCal feed', () => {
  const CREATE = `mutation($roomId: ID!) { createRoomCalendarFeed(roomId: $roomId) { roomId url createdAt } }`;

  it("answers the room's duties as text/calendar; a replaced link is refused", async () => {
    const { room, alice, bob } = newRoom();
    const other = newRoom('302');
    const first = await insertDuty(room, '2026-03-01');
    const second = await insertDuty(room, '2026-03-20');
    await insertDuty(other.room, '2026-03-02');

    expect(errorOf(await h.gql(other.alice, CREATE, { roomId: room.roomId }))).toMatchObject({ code: 'FORBIDDEN' });
    // the entrance's student_head reads the roster but does not replace another room's link
    const studentHead = h.campus.moveIn(
      h.campus.addRoom(room.building, 1, '305'),
      testUser({ roles: ['student', 'student_head'] }),
    );
    expect(errorOf(await h.gql(studentHead, CREATE, { roomId: room.roomId }))).toMatchObject({ code: 'FORBIDDEN' });

    const created = await h.gql<{ createRoomCalendarFeed: { url: string; roomId: string } }>(alice, CREATE, {
      roomId: room.roomId,
    });
    const url = created.data!.createRoomCalendarFeed.url;
    expect(url).toMatch(/^http:\/\/localhost:4000\/calendars\/duty\/[A-Za-z0-9_-]{43}\.ics$/);

    const res = await fetch(local(url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, max-age=300');
    const text = await res.text();
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(text).toContain(`UID:${first.id}@`);
    expect(text).toContain(`UID:${second.id}@`);
    expect(text).toContain('DTSTART;VALUE=DATE:20260320');
    expect(text).toContain(`SUMMARY:Room duty — ${room.building}/301`);
    expect(text).toContain('TRIGGER;VALUE=DATE-TIME:20260228T150000Z'); // 18:00 Moscow the evening before

    // a new link replaces the old one
    const renewed = await h.gql<{ createRoomCalendarFeed: { url: string } }>(bob, CREATE, { roomId: room.roomId });
    const old = await fetch(local(url));
    expect(old.status).toBe(403);
    expect(await old.json()).toMatchObject({ error_code: 'DUTY_CALENDAR_LINK_INVALID' });
    expect((await fetch(local(renewed.data!.createRoomCalendarFeed.url))).status).toBe(200);

    const unknown = await fetch(`${h.baseUrl}/calendars/duty/${'y'.repeat(43)}.ics`);
    expect(unknown.status).toBe(403);
  });
});

describe('a rejection after the deadline (the educator reviews the next morning)', () => {
  const LATE_REJECT = `mutation($input: RejectDutyReportInput!) {
    rejectDutyReport(input: $input) { id status date deadlineAt report { status } }
  }`;
  const sweepAt = (iso: string) => h.duty.internals.sweep.run(new Date(iso));
  const row = (id: string) => db().dutySchedule.findUniqueOrThrow({ where: { id } });

  /** A duty of 1 March submitted at 22:50 Moscow, rejected at 10:00 Moscow on 2 March. */
  async function rejectedNextMorning() {
    const room = newRoom();
    const duty = await insertDuty(room.room, '2026-03-01');
    h.clock.set('2026-03-01T19:50:00.000Z'); // 22:50 Moscow
    await uploadAll(room.alice, duty.id);
    expect((await h.gql(room.alice, SUBMIT, { id: duty.id })).errors).toBeUndefined();
    await sweepAt('2026-03-01T20:00:30.000Z'); // 23:00:30: submitted in time, not overdue
    expect((await row(duty.id)).status).toBe('report_submitted');

    h.clock.set('2026-03-02T07:00:00.000Z'); // 10:00 Moscow the next day
    const rejected = await h.gql<{ rejectDutyReport: Record<string, unknown> }>(room.head, LATE_REJECT, {
      input: { scheduleId: duty.id, reason: 'The sink is dirty' },
    });
    expect(rejected.errors).toBeUndefined();
    return { ...room, duty, rejected: rejected.data!.rejectDutyReport };
  }

  it('moves the deadline to 23:00 of the day after the rejection: no sanction at once, and the room resubmits', async () => {
    const { alice, bob, head, duty, rejected } = await rejectedNextMorning();
    expect(rejected).toEqual({
      id: duty.id,
      status: 'PENDING',
      date: '2026-03-01', // the duty's date stays
      deadlineAt: '2026-03-03T20:00:00.000Z', // 23:00 Moscow on 3 March, the day after the rejection
      report: { status: 'REJECTED' },
    });
    expect(await row(duty.id)).toMatchObject({
      status: 'pending',
      dutyDate: new Date('2026-03-01T00:00:00.000Z'),
      deadlineAt: new Date('2026-03-03T20:00:00.000Z'),
      version: duty.version + 2, // submitted, rejected
      // the duty day's reminders are not sent again for the new deadline
      eveningRemindedAt: new Date('2026-03-02T07:00:00.000Z'),
      morningRemindedAt: new Date('2026-03-02T07:00:00.000Z'),
    });

    // the sweep right then: the duty is neither overdue nor reminded, nobody sanctioned
    await sweepAt('2026-03-02T07:00:00.000Z');
    expect((await row(duty.id)).status).toBe('pending');
    expect(await db().sanction.count({ where: { scheduleId: duty.id } })).toBe(0);

    // resubmission on 2 March (18:00 Moscow): new photos, a new report, submitted
    h.clock.set('2026-03-02T15:00:00.000Z');
    await uploadAll(bob, duty.id);
    const resubmitted = await h.gql<{ submitDutyReport: { status: string } }>(alice, SUBMIT, { id: duty.id });
    expect(resubmitted.errors).toBeUndefined();
    expect(resubmitted.data?.submitDutyReport.status).toBe('REPORT_SUBMITTED');
    expect((await view(head, duty.id)).reports.map((r) => r.status)).toEqual(['REJECTED', 'SUBMITTED']);

    await sweepAt('2026-03-03T20:00:30.000Z'); // after the new deadline: reported, so not overdue
    expect((await row(duty.id)).status).toBe('report_submitted');
    expect(await db().sanction.count({ where: { scheduleId: duty.id } })).toBe(0);

    const events = await outboxOf(duty.id);
    expect(events.map((e) => e.type)).toEqual([
      'campus.duty.report.submitted.v1',
      'campus.duty.report.rejected.v1',
      'campus.duty.report.submitted.v1',
    ]);
    expect(events[1]!.data).toMatchObject({ dutyDate: '2026-03-01', resubmitBy: '2026-03-03T20:00:00.000Z' });
  });

  it('without a resubmission: overdue after the new deadline, sanctions invited at 09:00 the day after it', async () => {
    const { alice, bob, duty } = await rejectedNextMorning();

    await sweepAt('2026-03-02T20:00:30.000Z'); // 23:00:30 on 2 March: the new deadline is a day later
    await sweepAt('2026-03-03T19:59:59.000Z'); // 22:59:59 on 3 March
    expect((await row(duty.id)).status).toBe('pending');

    h.clock.set('2026-03-03T20:00:00.000Z'); // 23:00 on 3 March: the room may no longer report
    const late = await h.gql(alice, REQUEST_UPLOAD, { input: { scheduleId: duty.id, category: 'LIGHTS_OFF' } });
    expect(errorOf(late)).toMatchObject({
      code: 'DUTY_DEADLINE_PASSED',
      details: { deadlineAt: '2026-03-03T20:00:00.000Z' },
    });

    await sweepAt('2026-03-03T20:00:30.000Z');
    expect(await row(duty.id)).toMatchObject({
      status: 'overdue',
      overdueAt: new Date('2026-03-03T20:00:30.000Z'),
    });
    const sanctions = await db().sanction.findMany({ where: { scheduleId: duty.id }, orderBy: { userId: 'asc' } });
    expect(sanctions.map((s) => [s.userId, s.dutyDate, s.invitedAt])).toEqual(
      [alice.id, bob.id]
        .sort()
        .map((id) => [id, new Date('2026-03-01T00:00:00.000Z'), new Date('2026-03-04T06:00:00.000Z')]), // 09:00 Moscow, 4 March
    );
    const overdue = (await outboxOf(duty.id)).find((e) => e.type === 'campus.duty.schedule.overdue.v1');
    expect(overdue?.data).toMatchObject({ dutyDate: '2026-03-01', deadlineAt: '2026-03-03T20:00:00.000Z' });
  });
});
