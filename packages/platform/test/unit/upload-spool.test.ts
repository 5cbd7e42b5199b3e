import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { tooLarge as tooLargeError } from '../../src/errors';
import { LocalUploadSpool, receiveToFile } from '../../src/uploads/spool';

const tooLarge = () => tooLargeError('too large', {}, 'TEST_FILE_TOO_LARGE');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-spool-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('receiveToFile', () => {
  test('writes the whole body and returns its size', async () => {
    const target = path.join(dir, 'a');
    const size = await receiveToFile(
      Readable.from([Buffer.alloc(600, 1), Buffer.alloc(400, 2)]),
      target,
      1000,
      tooLarge,
    );
    expect(size).toBe(1000);
    expect(fs.statSync(target).size).toBe(1000);
  });

  test('stops as soon as the limit is crossed: the rest is never read, the partial file is removed', async () => {
    const target = path.join(dir, 'b');
    const body = new PassThrough();
    let produced = 0;
    // An endless producer: the body is bigger than anything we would ever buffer.
    const pump = setInterval(() => {
      if (body.writableNeedDrain) return;
      body.write(Buffer.alloc(64 * 1024));
      produced += 64 * 1024;
    }, 1);
    await expect(receiveToFile(body, target, 1024 * 1024, tooLarge)).rejects.toMatchObject({
      code: 'TEST_FILE_TOO_LARGE',
    });
    clearInterval(pump);
    expect(fs.existsSync(target)).toBe(false);
    expect(body.destroyed).toBe(false); // the HTTP layer still answers on this socket
    expect(produced).toBeLessThan(4 * 1024 * 1024);
  });

  test('a body that fails mid-way removes the partial file', async () => {
    const target = path.join(dir, 'c');
    const body = new PassThrough();
    const done = receiveToFile(body, target, 1000, tooLarge);
    body.write(Buffer.alloc(10));
    body.emit('aborted');
    await expect(done).rejects.toThrow(/interrupted/);
    expect(fs.existsSync(target)).toBe(false);
  });

  test('a stream error is propagated', async () => {
    const body = new PassThrough();
    const done = receiveToFile(body, path.join(dir, 'd'), 1000, tooLarge);
    body.destroy(new Error('socket reset'));
    await expect(done).rejects.toThrow(/socket reset/);
  });
});

describe('LocalUploadSpool', () => {
  test('creates its directory private to the service, spools a body into a new file and discards it', async () => {
    const spoolDir = path.join(dir, 'spool');
    const spool = await new LocalUploadSpool(spoolDir).prepare();
    expect(fs.statSync(spoolDir).mode & 0o777).toBe(0o700);

    const file = await spool.receive(Readable.from([Buffer.from('hello '), Buffer.from('world')]), 100, tooLarge);
    expect(file.sizeBytes).toBe(11);
    expect(path.dirname(file.path)).toBe(spoolDir);
    expect(fs.readFileSync(file.path, 'utf8')).toBe('hello world');
    expect(fs.statSync(file.path).mode & 0o777).toBe(0o600);

    await file.discard();
    expect(fs.readdirSync(spoolDir)).toEqual([]);
    await file.discard(); // the storage may have moved it away already
  });

  test('an oversized body leaves nothing in the spool; a removed directory is recreated', async () => {
    const spoolDir = path.join(dir, 'spool');
    const spool = await new LocalUploadSpool(spoolDir).prepare();
    await expect(spool.receive(Readable.from([Buffer.alloc(101)]), 100, tooLarge)).rejects.toMatchObject({
      code: 'TEST_FILE_TOO_LARGE',
      kind: 'TOO_LARGE',
    });
    expect(fs.readdirSync(spoolDir)).toEqual([]);

    fs.rmSync(spoolDir, { recursive: true });
    const file = await spool.receive(Readable.from([Buffer.alloc(100)]), 100, tooLarge);
    expect(file.sizeBytes).toBe(100);
  });
});
