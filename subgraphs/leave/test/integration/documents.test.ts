// Document upload and download over the service's HTTP routes, with real files generated here,
// real PostgreSQL and the local document storage: type judged by content, audio length, size
// limits, single-use links, signed downloads.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { errorCodes, jpg, mp3, pdf, png, refusedPut, staff, student, wav } from '@campus/testkit';
import {
  dataOf,
  decide,
  readApplication,
  removeDocument,
  requestUpload,
  submitApplication,
  uploadDocument,
} from '../support/applications';
import { startLeaveHarness, type LeaveHarness } from '../support/harness';

let h: LeaveHarness;
const educator = staff('educator');
const minor = student({ isMinor: true });
const stranger = student();
const MB = 1024 * 1024;

/** Every file under the document storage directory. */
function storedFiles(): string[] {
  const root = path.join(h.dataDir, 'documents');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) =>
    fs.statSync(path.join(root, f)).isFile(),
  );
}

async function put(url: string, body: Buffer | ReadableStream, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'PUT',
    body,
    headers,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  return {
    status: res.status,
    body: (await res.json()) as {
      error_code?: string;
      details?: Record<string, unknown>;
      document?: Record<string, unknown>;
    },
  };
}

async function ticket(user = minor, applicationId: string, kind: string): Promise<string> {
  return dataOf(await requestUpload(h, user, applicationId, kind)).requestLeaveDocumentUpload.uploadUrl;
}

beforeAll(async () => {
  h = await startLeaveHarness();
  h.identity.add(minor).add(stranger);
});

afterAll(async () => {
  await h?.stop();
});

test('accepts real WAV and MP3 voice messages and PDF/JPG/PNG scans, typed by their content', async () => {
  const app = await submitApplication(h, minor);
  const link = dataOf(await requestUpload(h, minor, app.id, 'VOICE_MESSAGE')).requestLeaveDocumentUpload;
  expect(link).toMatchObject({ method: 'PUT', maxBytes: 5 * MB });
  expect(link.uploadUrl).toMatch(new RegExp(`^${h.baseUrl}/uploads/leave/[A-Za-z0-9_-]{43}$`));

  const voice = await put(link.uploadUrl, wav(4), { 'content-type': 'application/octet-stream' });
  expect(voice.status).toBe(201);
  expect(voice.body.document).toMatchObject({
    kind: 'VOICE_MESSAGE', // GraphQL's words: the LeaveDocumentKind value and a User reference
    contentType: 'audio/wav',
    sizeBytes: wav(4).length,
    uploadedBy: { id: minor.id },
  });
  expect(voice.body.document!.durationSeconds).toBeCloseTo(4, 1);
  expect(voice.body.document).not.toHaveProperty('storageKey');

  const music = await uploadDocument(h, minor, app.id, 'VOICE_MESSAGE', mp3(3), 'text/plain'); // the claimed type is ignored
  expect(music.status).toBe(201);
  expect(music.body.document).toMatchObject({ contentType: 'audio/mpeg' });
  expect((music.body.document as { durationSeconds: number }).durationSeconds).toBeCloseTo(3, 0);

  for (const [bytes, contentType] of [
    [pdf(), 'application/pdf'],
    [jpg(), 'image/jpeg'],
    [png(), 'image/png'],
  ] as const) {
    const scan = await uploadDocument(h, educator, app.id, 'SIGNED_APPLICATION', bytes);
    expect(scan.status).toBe(201);
    expect(scan.body.document).toMatchObject({
      kind: 'SIGNED_APPLICATION',
      contentType,
      durationSeconds: null,
      uploadedBy: { id: educator.id },
    });
  }
  const read = dataOf(await readApplication(h, minor, app.id)).leaveApplication!;
  expect(read.documents.map((d) => d.contentType)).toEqual([
    'audio/wav',
    'audio/mpeg',
    'application/pdf',
    'image/jpeg',
    'image/png',
  ]);
  expect(storedFiles()).toHaveLength(5);
});

test('refuses a 3-minute voice message, a PNG named .mp3, and files of the wrong kind, storing nothing', async () => {
  const app = await submitApplication(h, minor);
  const before = storedFiles().length;

  const long = await put(await ticket(minor, app.id, 'VOICE_MESSAGE'), wav(180), { 'content-type': 'audio/wav' });
  expect(wav(180).length).toBeLessThan(5 * MB); // refused for its length, not its size
  expect(long).toMatchObject({
    status: 400,
    body: { error_code: 'LEAVE_VOICE_MESSAGE_TOO_LONG', details: { maxDurationSeconds: 120 } },
  });
  expect(long.body.details!.durationSeconds).toBeCloseTo(180, 0);

  const renamed = await put(await ticket(minor, app.id, 'VOICE_MESSAGE'), png(), {
    'content-type': 'audio/mpeg',
    'content-disposition': 'attachment; filename="voice.mp3"',
  });
  expect(renamed).toMatchObject({
    status: 400,
    body: { error_code: 'LEAVE_DOCUMENT_TYPE_NOT_ALLOWED', details: { detected: 'image/png' } },
  });

  const audioAsScan = await put(await ticket(minor, app.id, 'PARENT_LETTER'), wav(1));
  expect(audioAsScan.body.error_code).toBe('LEAVE_DOCUMENT_TYPE_NOT_ALLOWED');
  const garbage = await put(
    await ticket(minor, app.id, 'VOICE_MESSAGE'),
    Buffer.from('just some text, not audio at all'),
  );
  expect(garbage.body.error_code).toBe('LEAVE_DOCUMENT_TYPE_NOT_ALLOWED');
  const empty = await put(await ticket(minor, app.id, 'SIGNED_APPLICATION'), Buffer.alloc(0));
  expect(empty).toMatchObject({ status: 400, body: { error_code: 'LEAVE_DOCUMENT_EMPTY' } });

  expect(dataOf(await readApplication(h, minor, app.id)).leaveApplication!.documents).toEqual([]);
  expect(storedFiles()).toHaveLength(before);
});

test('refuses files over the size limit with 413, whether declared or streamed', async () => {
  const app = await submitApplication(h, minor);
  const big = Buffer.concat([pdf(), Buffer.alloc(10 * MB)]);
  const declared = await put(await ticket(minor, app.id, 'SIGNED_APPLICATION'), big);
  expect(declared).toMatchObject({
    status: 413,
    body: { error_code: 'LEAVE_DOCUMENT_TOO_LARGE', details: { maxBytes: 10 * MB } },
  });

  // no Content-Length: the limit is enforced while the body streams in
  const chunks = [wav(1), ...Array.from({ length: 6 }, () => Buffer.alloc(MB))];
  const stream = new ReadableStream({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  const streamed = await put(await ticket(minor, app.id, 'VOICE_MESSAGE'), stream);
  expect(streamed).toMatchObject({ status: 413, body: { error_code: 'LEAVE_DOCUMENT_TOO_LARGE' } });
  expect(dataOf(await readApplication(h, minor, app.id)).leaveApplication!.documents).toEqual([]);
});

/**
 * PUTs `size` bytes the way a streaming proxy does (Node's http client, writing chunk by chunk and
 * waiting for 'drain'), and reports the answer and whether the whole body could be sent.
 */
function streamingPut(
  url: string,
  head: Buffer,
  size: number,
): Promise<{ status: number; body: Record<string, unknown>; bodySent: boolean }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    let bodySent = false;
    const req = http.request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'PUT',
      headers: { 'content-length': size },
    });
    const guard = setTimeout(() => {
      req.destroy();
      reject(new Error(`the upload stalled (body sent: ${bodySent})`));
    }, 10_000);
    req.on('error', reject);
    req.on('finish', () => (bodySent = true));
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        const done = () => {
          clearTimeout(guard);
          resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, unknown>, bodySent });
        };
        if (bodySent) done();
        else req.once('finish', () => ((bodySent = true), done()));
      });
    });
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024);
    const pump = () => {
      if (written === 0) {
        req.write(head);
        written = head.length;
      }
      while (written < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - written));
        written += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

test('a refused upload is answered once its body is read, so a streaming proxy is never left stalled', async () => {
  const app = await submitApplication(h, minor);
  // refused before the body arrives: too large by its declared length
  const tooLarge = await streamingPut(await ticket(minor, app.id, 'SIGNED_APPLICATION'), pdf(), 12 * MB);
  expect(tooLarge).toMatchObject({ status: 413, body: { error_code: 'LEAVE_DOCUMENT_TOO_LARGE' }, bodySent: true });
  // (a spent link is answered without reading its body: see the next test)
  // refused half-way: the size limit crossed while streaming
  const crossed = await streamingPut(await ticket(minor, app.id, 'VOICE_MESSAGE'), wav(1), 6 * MB);
  expect(crossed).toMatchObject({ status: 413, bodySent: true });
});

test('a link that is unknown or spent is answered at once, without reading the body', async () => {
  const size = 32 * MB;
  const forged = await refusedPut(`${h.baseUrl}/uploads/leave/${'A'.repeat(43)}`, size, 10_000);
  expect(forged).toMatchObject({ status: 403, body: { error_code: 'LEAVE_UPLOAD_LINK_INVALID' } });
  expect(forged.written).toBeLessThan(size / 4); // answered long before the body could have been read

  const app = await submitApplication(h, minor);
  const url = await ticket(minor, app.id, 'SIGNED_APPLICATION');
  expect((await put(url, pdf())).status).toBe(201);
  const spent = await refusedPut(url, size, 10_000);
  expect(spent).toMatchObject({ status: 403, body: { details: { reason: 'used' } } });
  expect(spent.written).toBeLessThan(size / 4);
  // the service keeps answering
  expect((await put(`${h.baseUrl}/uploads/leave/${'B'.repeat(43)}`, pdf())).status).toBe(403);
});

test('an upload link is single-use, expires, and only the applicant or an educator gets one', async () => {
  const app = await submitApplication(h, minor);
  const url = await ticket(minor, app.id, 'SIGNED_APPLICATION');
  const posted = await fetch(url, { method: 'POST', body: pdf() }); // POST works like PUT
  expect(posted.status).toBe(201);
  expect(await put(url, pdf())).toMatchObject({
    status: 403,
    body: { error_code: 'LEAVE_UPLOAD_LINK_INVALID', details: { reason: 'used' } },
  });
  expect((await fetch(url, { method: 'PATCH', body: pdf() })).status).toBe(404);

  const late = await ticket(minor, app.id, 'SIGNED_APPLICATION');
  h.clock.advance(h.config.uploadUrlTtlMs + 1_000);
  try {
    expect(await put(late, pdf())).toMatchObject({ status: 403, body: { details: { reason: 'expired' } } });
  } finally {
    h.clock.advance(-(h.config.uploadUrlTtlMs + 1_000));
  }
  const forged = `${h.baseUrl}/uploads/leave/${'A'.repeat(43)}`;
  expect(await put(forged, pdf())).toMatchObject({ status: 403, body: { details: { reason: 'unknown' } } });

  expect(errorCodes(await requestUpload(h, stranger, app.id, 'SIGNED_APPLICATION'))).toEqual(['FORBIDDEN']);
  expect(errorCodes(await requestUpload(h, staff('admin'), app.id, 'SIGNED_APPLICATION'))).toEqual(['FORBIDDEN']);
  expect(
    errorCodes(await requestUpload(h, educator, '3b0c5c9e-0d7e-4b8f-a3c6-6a1b2c3d4e5f', 'SIGNED_APPLICATION')),
  ).toEqual(['LEAVE_NOT_FOUND']);
});

test('a file arriving after the decision is refused and its bytes are not kept', async () => {
  const adult = student();
  h.identity.add(adult);
  const app = await submitApplication(h, adult);
  const url = await ticket(adult, app.id, 'SIGNED_APPLICATION');
  dataOf(await decide(h, educator, app.id, 'APPROVE'));
  const before = storedFiles().length;
  expect(await put(url, pdf())).toMatchObject({ status: 409, body: { error_code: 'LEAVE_APPLICATION_FINAL' } });
  expect(storedFiles()).toHaveLength(before);
  expect(errorCodes(await requestUpload(h, adult, app.id, 'SIGNED_APPLICATION'))).toEqual(['LEAVE_APPLICATION_FINAL']);
});

test('builds upload and download links from PUBLIC_BASE_URL, never from the request’s (forwarded) host', async () => {
  const app = await submitApplication(h, minor);
  expect((await uploadDocument(h, minor, app.id, 'VOICE_MESSAGE', wav(1))).status).toBe(201);
  // what a proxy (or a client lying about it) would send
  const forwarded = {
    'x-forwarded-host': 'phone.example',
    'x-forwarded-proto': 'https',
    forwarded: 'host=phone.example',
  };
  const ticket = await h.gql<{ requestLeaveDocumentUpload: { uploadUrl: string } }>(
    minor,
    'mutation($id: ID!) { requestLeaveDocumentUpload(applicationId: $id, kind: PARENT_LETTER) { uploadUrl } }',
    { id: app.id },
    forwarded,
  );
  const read = await h.gql<{ leaveApplication: { documents: { downloadUrl: string }[] } }>(
    minor,
    'query($id: ID!) { leaveApplication(id: $id) { documents { downloadUrl } } }',
    { id: app.id },
    forwarded,
  );
  const base = h.config.publicBaseUrl.replace(/\/$/, '');
  expect(dataOf(ticket).requestLeaveDocumentUpload.uploadUrl).toMatch(new RegExp(`^${base}/uploads/leave/[\\w-]{43}$`));
  expect(dataOf(read).leaveApplication.documents[0]!.downloadUrl).toMatch(new RegExp(`^${base}/files/leave/`));
  expect(JSON.stringify([ticket.data, read.data])).not.toContain('phone.example');
});

test('downloads the exact bytes through a signed, expiring link; removal deletes the file', async () => {
  const app = await submitApplication(h, minor);
  const bytes = wav(2);
  expect((await uploadDocument(h, minor, app.id, 'VOICE_MESSAGE', bytes)).status).toBe(201);
  const [document] = dataOf(await readApplication(h, educator, app.id)).leaveApplication!.documents;
  expect(document!.downloadUrl).toMatch(new RegExp(`^${h.baseUrl}/files/leave/`));

  const res = await fetch(document!.downloadUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('audio/wav');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="voice_message-[0-9a-f]{8}\.wav"$/);
  expect(res.headers.get('cache-control')).toBe('private, no-store');
  expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);

  const tampered = document!.downloadUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  const refused = await fetch(tampered);
  expect(refused.status).toBe(403);
  expect(await refused.json()).toMatchObject({ error_code: 'LEAVE_FILE_LINK_INVALID', details: { reason: 'invalid' } });
  h.clock.advance(h.config.downloadUrlTtlMs + 1_000);
  try {
    expect(await (await fetch(document!.downloadUrl)).json()).toMatchObject({
      error_code: 'LEAVE_FILE_LINK_INVALID',
      details: { reason: 'expired' },
    });
  } finally {
    h.clock.advance(-(h.config.downloadUrlTtlMs + 1_000));
  }

  const files = storedFiles().length;
  expect(errorCodes(await removeDocument(h, stranger, app.id, document!.id))).toEqual(['FORBIDDEN']);
  expect(dataOf(await removeDocument(h, minor, app.id, document!.id)).removeLeaveDocument.documents).toEqual([]);
  expect(storedFiles()).toHaveLength(files - 1);
  const gone = await fetch(document!.downloadUrl);
  expect(gone.status).toBe(404);
  expect(await gone.json()).toMatchObject({ error_code: 'LEAVE_FILE_NOT_FOUND' });
});

test('while FILE_URL_SECRET rotates over the replicas, a replica on the new key opens the links of one on the old', async () => {
  const app = await submitApplication(h, minor);
  expect((await uploadDocument(h, minor, app.id, 'VOICE_MESSAGE', wav(1))).status).toBe(201);
  // The second step of a rotation: the new key signs, the old one is still accepted.
  const rotated = await h.startReplica({
    config: {
      fileUrlSecret: 'the-next-file-url-secret-0123456789abcdef',
      fileUrlSecretsAccepted: [h.config.fileUrlSecret],
    },
  });
  const linkOn = async (graph: typeof h.gql) =>
    dataOf(await readApplication({ ...h, gql: graph }, educator, app.id)).leaveApplication!.documents[0]!.downloadUrl;
  const oldLink = await linkOn(h.gql);
  const newLink = await linkOn(rotated.gql);
  expect(newLink).not.toBe(oldLink);
  const at = (base: string, link: string) => fetch(`${base}/files/leave/${link.split('/files/leave/')[1]}`);

  expect((await at(rotated.baseUrl, oldLink)).status).toBe(200);
  expect((await at(rotated.baseUrl, newLink)).status).toBe(200);
  // Without the first step (the new key accepted everywhere first), the old replica refuses the new links.
  const refused = await at(h.baseUrl, newLink);
  expect(refused.status).toBe(403);
  expect(await refused.json()).toMatchObject({ error_code: 'LEAVE_FILE_LINK_INVALID', details: { reason: 'invalid' } });
});
