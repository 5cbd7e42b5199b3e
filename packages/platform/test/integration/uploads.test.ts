import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import express from 'express';
import type pg from 'pg';
import pino from 'pino';
import { TestClock, createTestDatabase, png, refusedPut, testDatabasePool, type TestDatabase } from '@campus/testkit';
import { DomainError, tooLarge } from '../../src/errors';
import { httpErrorHandler, listen, type RunningHttpServer } from '../../src/http';
import { Metrics } from '../../src/metrics';
import { sha256Hex } from '../../src/secrets';
import { detectFileFormat } from '../../src/uploads/file-format';
import {
  PgUploadLinkStore,
  UploadLinks,
  uploadLinkRefusalMessage,
  type UploadLinkRefusalReason,
} from '../../src/uploads/links';
import { uploadRoute } from '../../src/uploads/route';
import { LocalUploadSpool } from '../../src/uploads/spool';

// The upload facility end to end, as a service mounts it: links in a real `upload_links` table
// (the DDL Prisma makes of UPLOAD_LINK_PRISMA_MODEL), the route over a real listener, bodies
// spooled to disk under a size limit.

const UPLOAD_LINKS_DDL = `
CREATE TABLE "upload_links" (
    "token_hash" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "requested_by" UUID NOT NULL,
    "requester_roles" TEXT[],
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "upload_links_pkey" PRIMARY KEY ("token_hash")
);
CREATE INDEX "upload_links_expires_at_idx" ON "upload_links"("expires_at");`;

const MB = 1024 * 1024;
const MAX_BYTES = MB;
const TTL_MS = 10 * 60_000;
const USER = '6f1c7a52-3d0e-4c55-9a43-2f6f0b1f2a01';
const KINDS = ['photo', 'scan'] as const;
type Kind = (typeof KINDS)[number];
const isKind = (value: string): value is Kind => (KINDS as readonly string[]).includes(value);

let db: TestDatabase;
let pool: pg.Pool;
let server: RunningHttpServer;
let base: string;
let spoolDir: string;
let links: UploadLinks<Kind>;
let store: PgUploadLinkStore<Kind>;
const clock = new TestClock(new Date()); // stands still: expiries are exact
const metrics = new Metrics('uploads-test');
/** How many times `receive` ran, and with what. */
const received: Array<{ token: string; declaredLength: number | undefined }> = [];

const linkInvalid = (reason: UploadLinkRefusalReason) =>
  new DomainError('FORBIDDEN', 'TEST_UPLOAD_LINK_INVALID', uploadLinkRefusalMessage(reason), { reason });
const fileTooLarge = () => tooLarge('The file is too large', { maxBytes: MAX_BYTES }, 'TEST_FILE_TOO_LARGE');

beforeAll(async () => {
  db = await createTestDatabase(null);
  pool = testDatabasePool(db, 4);
  await pool.query(UPLOAD_LINKS_DDL);
  spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-uploads-'));
  const spool = await new LocalUploadSpool(spoolDir).prepare();
  store = new PgUploadLinkStore(pool, { isKind });

  const app = express();
  const options = {
    metrics,
    isLinkRefusal: (error: unknown) => error instanceof DomainError && error.code === 'TEST_UPLOAD_LINK_INVALID',
  };
  // What a service's receive does: spend the link, check the declared size, spool, inspect.
  const receive = async (token: string, body: Readable, declaredLength: number | undefined) => {
    received.push({ token, declaredLength });
    const claim = await links.redeem(token);
    if (claim.status !== 'claimed') throw linkInvalid(claim.status);
    if (declaredLength !== undefined && declaredLength > MAX_BYTES) throw fileTooLarge();
    const file = await spool.receive(body, MAX_BYTES, fileTooLarge);
    try {
      return {
        subjectId: claim.link.subjectId,
        kind: claim.link.kind,
        sizeBytes: file.sizeBytes,
        format: await detectFileFormat(file.path),
      };
    } finally {
      await file.discard();
    }
  };
  app.put(
    '/uploads/test/:token',
    uploadRoute(options, (token, body, length) => receive(token, body, length)),
  );
  app.post(
    '/uploads/test/:token',
    uploadRoute(options, (token, body, length) => receive(token, body, length)),
  );
  app.use(httpErrorHandler(pino({ level: 'silent' })));
  server = await listen(app, '127.0.0.1', 0);
  base = `http://127.0.0.1:${server.port}`;
  links = new UploadLinks(store, { publicBaseUrl: `${base}/`, path: '/uploads/test', ttlMs: TTL_MS, clock });
});

afterAll(async () => {
  await server?.close(100);
  await pool?.end();
  await db?.drop();
  if (spoolDir) fs.rmSync(spoolDir, { recursive: true, force: true });
});

const issue = (kind: Kind = 'photo', subjectId = 'duty-42') =>
  links.issue({ subjectId, kind, requestedBy: USER, requesterRoles: ['student'] });

async function put(url: string, body: Buffer | ReadableStream, method = 'PUT') {
  const res = await fetch(url, {
    method,
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Requests counted for an operation and outcome on /metrics. */
async function samples(operation: string, outcome: string): Promise<number> {
  const metric = (await metrics.requests.get()).values.find(
    (v) => v.labels.operation === operation && v.labels.outcome === outcome,
  );
  return metric?.value ?? 0;
}

/**
 * PUTs `size` bytes the way a streaming proxy does (Node's http client, chunk by chunk, waiting for
 * 'drain') and reports the answer and whether the whole body could be sent.
 */
function streamingPut(
  url: string,
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
    const guard = setTimeout(
      () => (req.destroy(), reject(new Error(`the upload stalled (sent: ${bodySent})`))),
      10_000,
    );
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

describe('uploadRoute', () => {
  test('a valid link takes the body once (PUT or POST) and answers 201 with what receive returned', async () => {
    const before = await samples('PUT /uploads/test', 'ok');
    const { url, expiresAt } = await issue('photo', 'duty-1');
    expect(url).toMatch(new RegExp(`^${base}/uploads/test/[A-Za-z0-9_-]{43}$`));
    expect(expiresAt.getTime()).toBe(clock.now().getTime() + TTL_MS);
    const token = url.split('/').pop()!;
    const stored = await pool.query('SELECT * FROM upload_links WHERE token_hash = $1', [sha256Hex(token)]);
    expect(stored.rows).toEqual([
      expect.objectContaining({ subject_id: 'duty-1', kind: 'photo', requested_by: USER, used_at: null }),
    ]);
    expect(JSON.stringify(stored.rows)).not.toContain(token); // the token lives only in the URL

    const photo = png();
    expect(await put(url, photo)).toEqual({
      status: 201,
      body: { subjectId: 'duty-1', kind: 'photo', sizeBytes: photo.length, format: { ext: 'png', mime: 'image/png' } },
    });
    expect(received.at(-1)).toEqual({ token, declaredLength: photo.length });
    expect(await samples('PUT /uploads/test', 'ok')).toBe(before + 1);

    const posted = await put((await issue('scan', 'duty-2')).url, photo, 'POST');
    expect(posted).toMatchObject({ status: 201, body: { subjectId: 'duty-2', kind: 'scan' } });
    expect(await samples('POST /uploads/test', 'ok')).toBeGreaterThanOrEqual(1);

    expect(await put(url, photo)).toEqual({
      status: 403,
      body: {
        error_code: 'TEST_UPLOAD_LINK_INVALID',
        message: 'The upload link was already used; ask for a new one',
        details: { reason: 'used' },
      },
    });
    expect(fs.readdirSync(spoolDir)).toEqual([]);
  });

  test('a used or unknown link is refused before its body is read, and the service keeps answering', async () => {
    const before = await samples('PUT /uploads/test', 'TEST_UPLOAD_LINK_INVALID');
    const { url } = await issue();
    expect((await put(url, png())).status).toBe(201);

    const size = 32 * MB;
    const spent = await refusedPut(url, size, 10_000);
    expect(spent).toMatchObject({
      status: 403,
      body: { error_code: 'TEST_UPLOAD_LINK_INVALID', details: { reason: 'used' } },
    });
    expect(spent.written).toBeLessThan(size / 4); // answered long before the body could have been read

    const forged = await refusedPut(`${base}/uploads/test/${'A'.repeat(43)}`, size, 10_000);
    expect(forged).toMatchObject({ status: 403, body: { details: { reason: 'unknown' } } });
    expect(forged.written).toBeLessThan(size / 4);

    expect(await samples('PUT /uploads/test', 'TEST_UPLOAD_LINK_INVALID')).toBe(before + 2);
    expect((await put((await issue()).url, png())).status).toBe(201);
  });

  test('an expired link is refused as expired', async () => {
    const { url } = await issue();
    clock.advance(TTL_MS + 1_000);
    try {
      expect(await put(url, png())).toMatchObject({ status: 403, body: { details: { reason: 'expired' } } });
    } finally {
      clock.advance(-(TTL_MS + 1_000));
    }
  });

  test('too large: 413 coded, answered after the rest of the body was discarded', async () => {
    const before = await samples('PUT /uploads/test', 'TEST_FILE_TOO_LARGE');
    // refused by its declared length, before any of the body is read
    const declared = await streamingPut((await issue()).url, 6 * MB);
    expect(declared).toEqual({
      status: 413,
      body: { error_code: 'TEST_FILE_TOO_LARGE', message: 'The file is too large', details: { maxBytes: MAX_BYTES } },
      bodySent: true,
    });

    // no Content-Length: the limit is crossed while the body streams in
    const chunks = [png(), ...Array.from({ length: 3 }, () => Buffer.alloc(MB))];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await put((await issue()).url, stream);
    expect(streamed).toMatchObject({ status: 413, body: { error_code: 'TEST_FILE_TOO_LARGE' } });
    expect(received.at(-1)!.declaredLength).toBeUndefined();
    expect(fs.readdirSync(spoolDir)).toEqual([]);
    expect(await samples('PUT /uploads/test', 'TEST_FILE_TOO_LARGE')).toBe(before + 2);

    // the connection stays usable: the next upload goes through
    expect((await put((await issue()).url, png())).status).toBe(201);
  });
});

describe('PgUploadLinkStore', () => {
  const link = (expiresAt: Date) => ({
    subjectId: 'duty-9',
    kind: 'scan' as const,
    requestedBy: USER,
    requesterRoles: ['educator' as const],
    expiresAt,
  });

  test('claims a link once and tells unknown, used and expired apart', async () => {
    const now = new Date();
    await store.create('a'.repeat(64), link(new Date(now.getTime() + 60_000)));
    await store.create('b'.repeat(64), link(new Date(now.getTime() - 1)));
    const { rows } = await pool.query<{ token_hash: string; used_at: Date | null }>(
      'SELECT token_hash, used_at FROM upload_links WHERE token_hash = $1',
      ['a'.repeat(64)],
    );
    expect(rows).toEqual([{ token_hash: 'a'.repeat(64), used_at: null }]);

    expect(await store.claim('a'.repeat(64), now)).toEqual({
      status: 'claimed',
      link: link(new Date(now.getTime() + 60_000)),
    });
    expect(await store.claim('a'.repeat(64), now)).toEqual({ status: 'used' });
    expect(await store.claim('b'.repeat(64), now)).toEqual({ status: 'expired' });
    expect(await store.claim('c'.repeat(64), now)).toEqual({ status: 'unknown' });
  });

  test('of concurrent claims of one link, exactly one wins', async () => {
    const hash = 'd'.repeat(64);
    await store.create(hash, link(new Date(Date.now() + 60_000)));
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => store.claim(hash, new Date())));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['claimed', 'used', 'used', 'used', 'used', 'used']);
  });

  test('creating a link purges those expired longer than the retention', async () => {
    const purging = new PgUploadLinkStore<Kind>(pool, { isKind, retentionMs: 60_000 });
    const insert = (hash: string, expiredMsAgo: number) =>
      pool.query(
        `INSERT INTO upload_links (token_hash, subject_id, kind, requested_by, requester_roles, expires_at)
         VALUES ($1, 'duty-9', 'scan', $2, '{educator}', $3)`,
        [hash, USER, new Date(Date.now() - expiredMsAgo)],
      );
    await insert('e'.repeat(64), 120_000); // expired longer than the retention
    await insert('f'.repeat(64), 1_000); // expired just now
    expect(await purging.claim('e'.repeat(64), new Date())).toEqual({ status: 'expired' });

    await purging.create('g'.repeat(64), link(new Date(Date.now() + 60_000)));
    expect(await purging.claim('e'.repeat(64), new Date())).toEqual({ status: 'unknown' });
    expect(await purging.claim('f'.repeat(64), new Date())).toEqual({ status: 'expired' });
    expect(await purging.claim('g'.repeat(64), new Date())).toMatchObject({ status: 'claimed' });
  });

  test('a stored kind the service does not know is a bug, not a claim', async () => {
    await pool.query(
      `INSERT INTO upload_links (token_hash, subject_id, kind, requested_by, requester_roles, expires_at)
       VALUES ($1, 'x', 'video', $2, '{student}', now() + interval '1 minute')`,
      ['h'.repeat(64), USER],
    );
    await expect(store.claim('h'.repeat(64), new Date())).rejects.toThrow(/unknown kind "video"/);
  });
});
