import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ConfigError,
  FileLinks,
  LocalFileStorage,
  fileStorageConfig,
  fileStorageEnv,
  fileUrlSecretEnv,
  loadConfig,
  resolveFileUrlSecret,
  type FileStorage,
} from '../../src';
import { z } from 'zod';

const FILE = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const NOW = new Date('2026-03-01T10:00:00.000Z');
const options = {
  publicBaseUrl: 'http://router.test:4000/',
  path: '/files/duty',
  purpose: 'duty-photo',
  ttlMs: 300_000,
};
const links = new FileLinks({ secret: 'a-test-secret-that-is-long-enough-123456', ...options });
const tokenOf = (url: string) => url.split('/files/duty/')[1]!;

describe('FileLinks', () => {
  test('a link on the router names the file and expires after the TTL', () => {
    const { url, expiresAt } = links.downloadUrl(FILE, NOW);
    expect(url).toMatch(new RegExp(`^http://router.test:4000/files/duty/${FILE}\\.\\d+\\.[A-Za-z0-9_-]{43}$`));
    expect(expiresAt).toEqual(new Date(NOW.getTime() + 300_000));
    expect(links.verify(tokenOf(url), NOW)).toEqual({ status: 'valid', fileId: FILE });
    expect(links.verify(tokenOf(url), new Date(expiresAt.getTime() - 1))).toEqual({ status: 'valid', fileId: FILE });
  });

  test('an expired link is refused', () => {
    const { url, expiresAt } = links.downloadUrl(FILE, NOW);
    expect(links.verify(tokenOf(url), expiresAt)).toEqual({ status: 'expired' });
  });

  test("altered, foreign, another purpose's or malformed links are refused", () => {
    const token = tokenOf(links.downloadUrl(FILE, NOW).url);
    const [file, expires, signature] = token.split('.');
    const otherFile = '1a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
    const later = String(Number(expires) + 3600);
    const foreign = new FileLinks({ ...options, secret: 'another-secret-that-is-long-enough-654321' });
    const otherPurpose = new FileLinks({
      ...options,
      secret: 'a-test-secret-that-is-long-enough-123456',
      purpose: 'leave-file',
    });
    for (const bad of [
      `${otherFile}.${expires}.${signature}`,
      `${file}.${later}.${signature}`,
      tokenOf(foreign.downloadUrl(FILE, NOW).url),
      tokenOf(otherPurpose.downloadUrl(FILE, NOW).url),
      'not-a-token',
      `${file}.${expires}.short`,
    ]) {
      expect(links.verify(bad, NOW)).toEqual({ status: 'invalid' });
    }
  });

  test('a short secret is refused at construction', () => {
    expect(() => new FileLinks({ ...options, secret: 'short' })).toThrow(/at least 32/);
    expect(
      () =>
        new FileLinks({ ...options, secret: 'a-test-secret-that-is-long-enough-123456', acceptedSecrets: ['short'] }),
    ).toThrow(/at least 32/);
  });

  test('while a rotation rolls out, links signed with an accepted key open too; new links are signed with the key', () => {
    const next = 'the-next-secret-that-is-long-enough-7890';
    const rotated = new FileLinks({ ...options, secret: next });
    const accepting = new FileLinks({
      ...options,
      secret: 'a-test-secret-that-is-long-enough-123456',
      acceptedSecrets: [next],
    });
    const stranger = new FileLinks({ ...options, secret: 'a-stranger-secret-that-is-long-enough-00' });
    expect(accepting.verify(tokenOf(rotated.downloadUrl(FILE, NOW).url), NOW)).toEqual({
      status: 'valid',
      fileId: FILE,
    });
    expect(accepting.verify(tokenOf(links.downloadUrl(FILE, NOW).url), NOW)).toEqual({ status: 'valid', fileId: FILE });
    expect(accepting.verify(tokenOf(stranger.downloadUrl(FILE, NOW).url), NOW)).toEqual({ status: 'invalid' });
    expect(links.verify(tokenOf(rotated.downloadUrl(FILE, NOW).url), NOW)).toEqual({ status: 'invalid' });
    expect(links.verify(tokenOf(accepting.downloadUrl(FILE, NOW).url), NOW)).toEqual({ status: 'valid', fileId: FILE });
  });
});

describe('fileUrlSecretEnv / resolveFileUrlSecret', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-file-secret-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const schema = z.object({ NODE_ENV: z.string().default('development'), ...fileUrlSecretEnv(path.join(dir, 'd')) });

  test('without FILE_URL_SECRET: random per file, owner-only, reused; the given one wins', () => {
    const file = path.join(dir, 'nested', 'secret');
    const first = resolveFileUrlSecret(loadConfig(schema, { FILE_URL_SECRET_FILE: file }));
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveFileUrlSecret(loadConfig(schema, { FILE_URL_SECRET_FILE: file }))).toBe(first);
    expect(resolveFileUrlSecret(loadConfig(schema, { FILE_URL_SECRET_FILE: path.join(dir, 'other') }))).not.toBe(first);
    const given = 'g'.repeat(40);
    expect(resolveFileUrlSecret(loadConfig(schema, { FILE_URL_SECRET: given }))).toBe(given);
  });

  test('production requires FILE_URL_SECRET; a short one is refused', () => {
    expect(() => loadConfig(schema, { NODE_ENV: 'production' })).toThrow(/FILE_URL_SECRET is required in production/);
    expect(() => loadConfig(schema, { FILE_URL_SECRET: 'short' })).toThrow(/FILE_URL_SECRET/);
  });

  test('FILE_URL_SECRETS_ACCEPTED: none by default, each as long as a secret', () => {
    expect(loadConfig(schema, {}).FILE_URL_SECRETS_ACCEPTED).toBe('');
    expect(() => loadConfig(schema, { FILE_URL_SECRETS_ACCEPTED: `${'a'.repeat(40)},short` })).toThrow(
      /FILE_URL_SECRETS_ACCEPTED/,
    );
  });
});

describe('fileStorageEnv / fileStorageConfig', () => {
  const schema = z.object(fileStorageEnv('PHOTO_STORAGE', '/var/lib/photos'));

  test('local by default, in the given directory', () => {
    expect(fileStorageConfig(loadConfig(schema, {}), 'PHOTO_STORAGE')).toEqual({
      driver: 'local',
      dir: '/var/lib/photos',
    });
    expect(fileStorageConfig(loadConfig(schema, { PHOTO_STORAGE_DIR: '/tmp/p' }), 'PHOTO_STORAGE')).toEqual({
      driver: 'local',
      dir: '/tmp/p',
    });
  });

  test('s3 reads the shared S3_* variables and names the missing ones', () => {
    const env = { PHOTO_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY: 'k', S3_SECRET_KEY: 's' };
    expect(fileStorageConfig(loadConfig(schema, env), 'PHOTO_STORAGE')).toEqual({
      driver: 's3',
      bucket: 'b',
      accessKeyId: 'k',
      secretAccessKey: 's',
      region: 'us-east-1',
      forcePathStyle: true,
    });
    const missing = () =>
      fileStorageConfig(loadConfig(schema, { PHOTO_STORAGE: 's3', S3_BUCKET: 'b' }), 'PHOTO_STORAGE');
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(/S3_ACCESS_KEY is required when PHOTO_STORAGE=s3; S3_SECRET_KEY is required/);
    expect(() => loadConfig(schema, { PHOTO_STORAGE: 'ftp' })).toThrow(/PHOTO_STORAGE/);
  });
});

describe('LocalFileStorage', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-storage-'));
  const storage: FileStorage = new LocalFileStorage(path.join(root, 'files'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('put moves the file in (owner-only), open reads it back, delete removes it', async () => {
    await storage.check();
    const spooled = path.join(root, 'upload');
    fs.writeFileSync(spooled, 'bytes');
    await storage.put('photos/a/b.png', spooled, 'image/png');
    expect(fs.existsSync(spooled)).toBe(false);
    const stored = path.join(root, 'files', 'photos', 'a', 'b.png');
    expect(fs.statSync(stored).mode & 0o777).toBe(0o600);
    const chunks: Buffer[] = [];
    for await (const chunk of (await storage.open('photos/a/b.png'))!) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('bytes');
    await storage.delete('photos/a/b.png');
    await expect(storage.open('photos/a/b.png')).resolves.toBeNull();
    await expect(storage.delete('photos/a/b.png')).resolves.toBeUndefined();
  });

  test.each(['../escape', 'a/../../b', '/abs', 'a//b', ''])('refuses the key %j', async (key) => {
    await expect(storage.open(key)).rejects.toThrow(/invalid storage key/);
    await expect(storage.delete(key)).rejects.toThrow(/invalid storage key/);
  });
});
