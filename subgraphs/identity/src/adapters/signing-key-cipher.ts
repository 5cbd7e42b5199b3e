// Private signing keys at rest: AES-256-GCM (node:crypto) under a key from the environment
// (SIGNING_KEY_ENCRYPTION_KEY), the row's kid as additional authenticated data, so a ciphertext
// cannot be moved to another row. Previous encryption keys still decrypt, which makes rotation a
// restart: rows under an old key (or plaintext rows of old databases) are re-encrypted on start.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SIGNING_KEY_ENCRYPTION_KEY = 'SIGNING_KEY_ENCRYPTION_KEY';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** How a private JWK sits in its JSON column. */
export interface SealedJwk {
  enc: 'A256GCM';
  /** Which encryption key sealed it: the first 16 hex digits of its SHA-256. */
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

export function isSealed(value: unknown): value is SealedJwk {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    v.enc === 'A256GCM' &&
    typeof v.keyId === 'string' &&
    typeof v.iv === 'string' &&
    typeof v.tag === 'string' &&
    typeof v.ciphertext === 'string'
  );
}

/** A 32-byte key given as base64 (44 chars) or hex (64 chars); throws naming the variable otherwise. */
export function parseEncryptionKey(text: string, variable = SIGNING_KEY_ENCRYPTION_KEY): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`${variable} must be ${KEY_BYTES} bytes, given as base64 or hex (got ${key.length} bytes)`);
  }
  return key;
}

const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 16);

export class SigningKeyCipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  /** `current` seals; `current` and every `previous` key open. */
  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.currentKeyId = keyIdOf(current);
    for (const key of [current, ...previous]) this.keys.set(keyIdOf(key), key);
  }

  seal(plaintext: object, kid: string): SealedJwk {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentKeyId), iv);
    cipher.setAAD(Buffer.from(kid, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(plaintext), 'utf8'), cipher.final()]);
    return {
      enc: 'A256GCM',
      keyId: this.currentKeyId,
      iv: iv.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
      ciphertext: ciphertext.toString('base64url'),
    };
  }

  open(sealed: SealedJwk, kid: string): unknown {
    const decipher = createDecipheriv('aes-256-gcm', this.key(sealed.keyId, kid), Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    try {
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64url')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as unknown;
    } catch {
      throw new Error(`signing key ${kid}: its private key does not decrypt (tampered, or another row's)`);
    }
  }

  private key(keyId: string, kid?: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) {
      throw new Error(
        `signing key ${kid ?? ''}: sealed with encryption key ${keyId}, which is neither ${SIGNING_KEY_ENCRYPTION_KEY} ` +
          `nor one of SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS`,
      );
    }
    return key;
  }
}

/**
 * The development fallback: a random key written once into `dataDir` and reused on every start.
 * Concurrent first starts agree: the file appears atomically (link), the loser reads the winner's.
 */
export function developmentEncryptionKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'signing-key-encryption.key');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    const draft = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(draft, randomBytes(KEY_BYTES).toString('base64'), { mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }
  return parseEncryptionKey(fs.readFileSync(file, 'utf8'), file);
}

export interface SigningKeyEncryptionSettings {
  /** SIGNING_KEY_ENCRYPTION_KEY; absent only outside production. */
  key: string | undefined;
  /** SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS: keys that still open rows sealed before a rotation. */
  previousKeys: string[];
  /** Where the development key is kept when `key` is absent. */
  dataDir: string;
}

export function signingKeyCipherFrom(settings: SigningKeyEncryptionSettings): SigningKeyCipher {
  const current = settings.key
    ? parseEncryptionKey(settings.key)
    : developmentEncryptionKey(path.resolve(settings.dataDir));
  return new SigningKeyCipher(
    current,
    settings.previousKeys.map((k) => parseEncryptionKey(k, 'SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS')),
  );
}
