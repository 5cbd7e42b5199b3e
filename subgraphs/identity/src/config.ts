// Identity's environment. Every variable has a default that works on a developer machine.
import {
  authEnv,
  baseEnv,
  campusEnv,
  databaseEnv,
  envTypes,
  grpcEnv,
  loadConfig,
  serviceSettings,
  type ServiceSettings,
} from '@campus/platform';
import { z } from 'zod';

export const identityEnv = z.object({
  ...baseEnv,
  HTTP_PORT: envTypes.port.default(4001),
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
  LOGIN_MAX_FAILED_ATTEMPTS: envTypes.positiveInt.default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: envTypes.seconds.default(15 * 60),
  LOGIN_LOCKOUT_SECONDS: envTypes.seconds.default(15 * 60),
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
    /** Expired refresh tokens are deleted this long after expiry. */
    refreshPurgeGraceSeconds: number;
  };
  /** Failed sign-ins allowed within the window before the account is locked. */
  loginThrottle: { maxFailures: number; windowSeconds: number; lockoutSeconds: number };
}

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const e = loadConfig(identityEnv, env);
  return {
    // auth.jwksUrl names where identity itself publishes its keys; it never fetches them.
    ...serviceSettings({ ...e, AUTH_JWKS_URL: `http://${e.BIND_HOST}:${e.HTTP_PORT}/.well-known/jwks.json` }),
    campusTimeZone: e.CAMPUS_TIMEZONE,
    tokens: {
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      signingKeyRetentionMarginSeconds: e.SIGNING_KEY_RETENTION_MARGIN_SECONDS,
      refreshPurgeGraceSeconds: e.REFRESH_TOKEN_PURGE_GRACE_SECONDS,
    },
    loginThrottle: {
      maxFailures: e.LOGIN_MAX_FAILED_ATTEMPTS,
      windowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      lockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
    },
  };
}
