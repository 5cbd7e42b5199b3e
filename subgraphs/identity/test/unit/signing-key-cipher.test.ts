import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  developmentEncryptionKey,
  parseEncryptionKey,
  SigningKeyCipher,
  signingKeyCipherFrom,
} from '../../src/adapters/signing-key-cipher';
import { loadIdentityConfig } from '../../src/config';

const jwk = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'secret-d' };

describe('signing key cipher', () => {
  it('round-trips a JWK, bound to its kid, never showing the plaintext', () => {
    const cipher = new SigningKeyCipher(randomBytes(32));
    const sealed = cipher.seal(jwk, 'kid-1');
    expect(JSON.stringify(sealed)).not.toContain('secret-d');
    expect(cipher.open(sealed, 'kid-1')).toEqual(jwk);
    expect(() => cipher.open(sealed, 'kid-2')).toThrow(/does not decrypt/);
    expect(() => cipher.open({ ...sealed, ciphertext: sealed.ciphertext.slice(2) }, 'kid-1')).toThrow();
  });

  it('opens rows of a previous key and names the variables when no key fits', () => {
    const previous = randomBytes(32);
    const sealed = new SigningKeyCipher(previous).seal(jwk, 'k');
    expect(new SigningKeyCipher(randomBytes(32), [previous]).open(sealed, 'k')).toEqual(jwk);
    expect(() => new SigningKeyCipher(randomBytes(32)).open(sealed, 'k')).toThrow(/SIGNING_KEY_ENCRYPTION_KEY/);
  });

  it('takes 32 bytes as base64 or hex, nothing shorter', () => {
    const key = randomBytes(32);
    expect(parseEncryptionKey(key.toString('base64'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('hex'))).toEqual(key);
    expect(() => parseEncryptionKey(randomBytes(16).toString('base64'))).toThrow(/SIGNING_KEY_ENCRYPTION_KEY/);
  });

  it('generates a development key once per data directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-key-'));
    try {
      const first = developmentEncryptionKey(dir);
      expect(developmentEncryptionKey(dir)).toEqual(first);
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-key-'));
      expect(developmentEncryptionKey(other)).not.toEqual(first);
      fs.rmSync(other, { recursive: true, force: true });
      const cipher = signingKeyCipherFrom({ key: undefined, previousKeys: [], dataDir: dir });
      expect(cipher.open(new SigningKeyCipher(first).seal(jwk, 'k'), 'k')).toEqual(jwk);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start in production without SIGNING_KEY_ENCRYPTION_KEY, naming it', () => {
    expect(() => loadIdentityConfig({ NODE_ENV: 'production' })).toThrow(/SIGNING_KEY_ENCRYPTION_KEY is required/);
    const key = randomBytes(32).toString('base64');
    expect(() => loadIdentityConfig({ NODE_ENV: 'production', SIGNING_KEY_ENCRYPTION_KEY: key })).not.toThrow(
      /SIGNING_KEY_ENCRYPTION_KEY/,
    );
    expect(loadIdentityConfig({}).signingKeyEncryption.key).toBeUndefined();
  });
});
