// Identity's environment. Every variable has a default that works on a developer machine.
import {
  authEnv,
  baseEnv,
  campusEnv,
  ConfigError,
  databaseEnv,
  envTypes,
  graphqlEnv,
  grpcEnv,
  loadConfig,
  secretList,
  serviceSettings,
  type ServiceSettings,
} from '@campus/platform';
import { z } from 'zod';
import type { SigningKeyEncryptionSettings } from './adapters/signing-key-cipher';

export const identityEnv = z.object({
  ...baseEnv,
  HTTP_PORT: envTypes.port.default(4001),
  ...graphqlEnv,
  ...grpcEnv,
  GRPC_PORT: envTypes.port.default(50051),
  ...databaseEnv,
  DATABASE_URL: databaseEnv.DATABASE_URL.default('postgresql://postgres@127.0.0.1:5432/campus_identity'),
  // Identity issues the tokens, so it needs no JWKS URL of its own (it verifies with local keys).
  AUTH_ISSUER: authEnv.AUTH_ISSUER,
  AUTH_AUDIENCE: authEnv.AUTH_AUDIENCE,
  ...campusEnv,
  ACCESS_TOKEN_TTL_SECONDS: envTypes.seconds.default(15 * 60),
  REFRESH_TOKEN_TTL_SECONDS: envTypes.seconds.default(7 * 24 * 3600),
  /** A retired signing key stays published for the access-token lifetime plus this margin. */
  SIGNING_KEY_RETENTION_MARGIN_SECONDS: envTypes.seconds.default(5 * 60),
  /**
   * A rotated-in signing key is published this long before it signs: at least the 30 s services
   * wait between two fetches of the JWKS, so none refuses the new key's first tokens.
   */
  SIGNING_KEY_ACTIVATION_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  LOGIN_MAX_FAILED_ATTEMPTS: envTypes.positiveInt.default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: envTypes.seconds.default(15 * 60),
  LOGIN_LOCKOUT_SECONDS: envTypes.seconds.default(15 * 60),
  /** Cap of the per-account delay between attempts once LOGIN_MAX_FAILED_ATTEMPTS failures piled up. */
  LOGIN_MAX_DELAY_SECONDS: envTypes.seconds.default(60),
  /** 32 bytes, base64 or hex: encrypts private signing keys at rest. Required in production. */
  SIGNING_KEY_ENCRYPTION_KEY: z.string().min(1).optional(),
  /** Comma-separated keys replaced by a rotation: they still decrypt; rows are re-encrypted on start. */
  SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS: z.string().default(''),
  /** Outside production, where a random SIGNING_KEY_ENCRYPTION_KEY is generated once and kept. */
  IDENTITY_DATA_DIR: z.string().min(1).default('.data/identity'),
  /** Expired refresh tokens are deleted this long after expiry. */
  REFRESH_TOKEN_PURGE_GRACE_SECONDS: envTypes.seconds.default(24 * 3600),
});

export interface IdentityConfig extends ServiceSettings {
  campusTimeZone: string;
  tokens: {
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    /** A retired signing key stays published for accessTtlSeconds plus this margin. */
    signingKeyRetentionMarginSeconds: number;
    /** A rotated-in signing key is published this long before it signs. */
    signingKeyActivationDelaySeconds: number;
    /** Expired refresh tokens are deleted this long after expiry. */
    refreshPurgeGraceSeconds: number;
  };
  signingKeyEncryption: SigningKeyEncryptionSettings;
  /** Failed sign-ins allowed within the window before a client is locked and the account slowed. */
  loginThrottle: { maxFailures: number; windowSeconds: number; lockoutSeconds: number; maxDelaySeconds: number };
}

const ENCRYPTION_KEY_REQUIRED =
  'SIGNING_KEY_ENCRYPTION_KEY is required (in production: 32 random bytes, base64 or hex, encrypting the private signing keys)';

/** loadConfig, plus: production refuses to start without SIGNING_KEY_ENCRYPTION_KEY (named with the other problems). */
function loadWithEncryptionKey(env: NodeJS.ProcessEnv) {
  const missingKey = env.NODE_ENV === 'production' && !env.SIGNING_KEY_ENCRYPTION_KEY;
  try {
    const e = loadConfig(identityEnv, env);
    if (missingKey) throw new ConfigError([ENCRYPTION_KEY_REQUIRED]);
    return e;
  } catch (error) {
    if (missingKey && error instanceof ConfigError && !error.problems.includes(ENCRYPTION_KEY_REQUIRED)) {
      throw new ConfigError([...error.problems, ENCRYPTION_KEY_REQUIRED]);
    }
    throw error;
  }
}

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const e = loadWithEncryptionKey(env);
  return {
    // auth.jwksUrl names where identity itself publishes its keys; it never fetches them.
    ...serviceSettings({ ...e, AUTH_JWKS_URL: `http://${e.BIND_HOST}:${e.HTTP_PORT}/.well-known/jwks.json` }),
    campusTimeZone: e.CAMPUS_TIMEZONE,
    tokens: {
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      signingKeyRetentionMarginSeconds: e.SIGNING_KEY_RETENTION_MARGIN_SECONDS,
      signingKeyActivationDelaySeconds: e.SIGNING_KEY_ACTIVATION_DELAY_SECONDS,
      refreshPurgeGraceSeconds: e.REFRESH_TOKEN_PURGE_GRACE_SECONDS,
    },
    signingKeyEncryption: {
      key: e.SIGNING_KEY_ENCRYPTION_KEY,
      previousKeys: secretList(e.SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS),
      dataDir: e.IDENTITY_DATA_DIR,
    },
    loginThrottle: {
      maxFailures: e.LOGIN_MAX_FAILED_ATTEMPTS,
      windowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      lockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
      maxDelaySeconds: e.LOGIN_MAX_DELAY_SECONDS,
    },
  };
}
