// Identity's environment. Every variable has a default that works on a developer machine.
import { authEnv, baseEnv, campusEnv, databaseEnv, envTypes, grpcEnv, loadConfig } from '@campus/platform';
import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const identityEnvSchema = z.object({
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
  ACCESS_TOKEN_TTL_SECONDS: seconds(15 * 60),
  REFRESH_TOKEN_TTL_SECONDS: seconds(7 * 24 * 3600),
  /** A retired signing key stays published for the access-token lifetime plus this margin. */
  SIGNING_KEY_RETENTION_MARGIN_SECONDS: seconds(5 * 60),
  LOGIN_MAX_FAILED_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: seconds(15 * 60),
  LOGIN_LOCKOUT_SECONDS: seconds(15 * 60),
  /** Expired refresh tokens are deleted this long after expiry. */
  REFRESH_TOKEN_PURGE_GRACE_SECONDS: seconds(24 * 3600),
});

export type IdentityConfig = z.infer<typeof identityEnvSchema>;

export const loadIdentityConfig = (env: NodeJS.ProcessEnv = process.env): IdentityConfig => loadConfig(identityEnvSchema, env);
