// The platform's S3 file storage driver (leave's DOCUMENT_STORAGE=s3) against a real S3-protocol server over real HTTP: s3rver (a
// pure-JS S3 emulator) serves from this process on 127.0.0.1, storing into a temp directory. The
// client is built exactly as the service builds it (createS3Client, path-style URLs as for MinIO),
// so signing, the streamed upload body and error mapping all go over the wire.
//
// Not covered here: that objects are private. s3rver enforces no authorization at all (a request
// without credentials is served, and V4 signatures are never verified), so an anonymous GET
// proves nothing against it. What the driver controls is covered instead: its upload asks for no
// ACL and no grants, so the bucket's private default applies.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client, S3FileStorage } from '@campus/platform';
import { freePort } from '@campus/testkit';
import S3rver from 's3rver';

const BUCKET = 'leave-documents';
// s3rver's built-in account: it checks that the access key id exists, nothing more.
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

let dir: string;
let server: http.Server;
let endpoint: string;
let client: S3Client;
let storage: S3FileStorage;
/** Every request the S3 server received since the current test began, in order. */
let received: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];
/** How many upcoming PUTs the server answers 503 SlowDown instead of storing. */
let failPuts = 0;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const newKey = (ext = 'pdf') => `applications/${randomUUID()}/${randomUUID()}.${ext}`;
const uploads = () => received.filter((r) => r.method === 'PUT');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A spooled upload as the service hands it to the driver: a path to a local file. */
async function spool(bytes: Buffer): Promise<string> {
  const file = path.join(dir, 'spool', `${randomUUID()}.upload`);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, bytes);
  return file;
}

beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'leave-s3-'));
  const s3rver = new S3rver({
    directory: path.join(dir, 's3'),
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  await s3rver.configureBuckets();
  // s3rver's own HTTP handler behind a server of ours: bound to 127.0.0.1, requests recorded.
  const handle = s3rver.callback();
  server = http.createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (req.method === 'PUT' && failPuts > 0) {
      failPuts -= 1;
      req.resume().on('end', () => {
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>',
        );
      });
      return;
    }
    handle(req, res);
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  endpoint = `http://127.0.0.1:${port}`;
  client = await createS3Client({
    endpoint,
    bucket: BUCKET,
    region: 'us-east-1',
    accessKeyId: ACCESS_KEY,
    secretAccessKey: SECRET_KEY,
    forcePathStyle: true,
  });
  storage = new S3FileStorage(client, BUCKET);
});

afterAll(async () => {
  client?.destroy();
  if (server?.listening) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  received = [];
  failPuts = 0;
});

describe('check()', () => {
  it('passes for an existing bucket', async () => {
    await expect(storage.check()).resolves.toBeUndefined();
    expect(received.map((r) => r.method)).toEqual(['HEAD']);
    expect(new URL(received[0]!.url, endpoint).pathname).toMatch(new RegExp(`^/${BUCKET}/?$`));
  });

  it('fails clearly for a missing bucket', async () => {
    const missing = new S3FileStorage(client, 'no-such-bucket');
    await expect(missing.check()).rejects.toThrow('S3 bucket "no-such-bucket" does not exist');
  });

  it('fails clearly when the server is not reachable', async () => {
    const nowhere = await createS3Client(
      {
        endpoint: `http://127.0.0.1:${await freePort()}`,
        bucket: BUCKET,
        region: 'us-east-1',
        accessKeyId: ACCESS_KEY,
        secretAccessKey: SECRET_KEY,
        forcePathStyle: true,
      },
      { maxAttempts: 1 },
    );
    try {
      await expect(new S3FileStorage(nowhere, BUCKET).check()).rejects.toThrow(
        /^S3 bucket "leave-documents" is not reachable: .*ECONNREFUSED/,
      );
    } finally {
      nowhere.destroy();
    }
  });
});

describe('put() and get()', () => {
  it.each([
    ['a 3 MiB binary file', 3 * 1024 * 1024 + 17],
    ['a one-byte file', 1],
    ['an empty file', 0],
  ])('stores %s and reads back the same bytes', async (_label, size) => {
    const bytes = randomBytes(size);
    const key = newKey();

    await storage.put(key, await spool(bytes), 'application/pdf');
    const back = await readAll((await storage.open(key))!);

    expect(sha256(back)).toBe(sha256(bytes));
    expect(back.length).toBe(size);
    // what the server holds, asked independently of get()
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentType).toBe('application/pdf');
    expect(head.ContentLength).toBe(size);

    const [upload, ...more] = uploads();
    expect(more).toEqual([]);
    expect(new URL(upload!.url, endpoint).pathname).toBe(`/${BUCKET}/${key}`);
    // a plain body of the file's length: no aws-chunked framing that a server could store verbatim
    expect(upload!.headers['content-length']).toBe(String(size));
    expect(upload!.headers['content-encoding']).toBeUndefined();
    expect(upload!.headers['x-amz-content-sha256']).not.toMatch(/^STREAMING-/);
    // private: the upload asks for no canned ACL and no grants
    expect(Object.keys(upload!.headers).filter((h) => h === 'x-amz-acl' || h.startsWith('x-amz-grant-'))).toEqual([]);
  });

  it('gives null for a key that was never stored', async () => {
    await expect(storage.open(newKey())).resolves.toBeNull();
  });

  it('rejects an upload the server refuses, storing nothing', async () => {
    const key = newKey();
    failPuts = 1;
    // a streamed body cannot be replayed, so the SDK does not retry it and says so on the console
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await expect(storage.put(key, await spool(randomBytes(64 * 1024)), 'application/pdf')).rejects.toMatchObject({
        name: 'SlowDown',
      });
    } finally {
      warn.mockRestore();
    }
    expect(uploads()).toHaveLength(1);

    await expect(storage.open(key)).resolves.toBeNull();
  });
});

describe('delete()', () => {
  it('removes the object: a later read finds nothing', async () => {
    const key = newKey('mp3');
    const bytes = randomBytes(4096);
    await storage.put(key, await spool(bytes), 'audio/mpeg');
    expect(sha256(await readAll((await storage.open(key))!))).toBe(sha256(bytes));

    await storage.delete(key);

    await expect(storage.open(key)).resolves.toBeNull();
    await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('is idempotent: deleting a key that is not there succeeds', async () => {
    await expect(storage.delete(newKey())).resolves.toBeUndefined();
  });
});

describe('storage keys', () => {
  it.each([
    '../escape.pdf',
    'applications/../../etc/passwd',
    'applications/x/..',
    '..',
    '/absolute/path.pdf',
    'applications//double-slash.pdf',
    'applications/./dot.pdf',
    'applications/%2e%2e/encoded.pdf',
    'back\\slash.pdf',
    'with space.pdf',
    '',
  ])('refuses %j in put, open and delete before any request is sent', async (key) => {
    const file = await spool(Buffer.from('x'));
    const send = jest.spyOn(client, 'send');
    try {
      await expect(storage.put(key, file, 'application/pdf')).rejects.toThrow(/invalid storage key/);
      await expect(storage.open(key)).rejects.toThrow(/invalid storage key/);
      await expect(storage.delete(key)).rejects.toThrow(/invalid storage key/);
      expect(send).not.toHaveBeenCalled();
      expect(received).toEqual([]);
    } finally {
      send.mockRestore();
    }
  });
});
