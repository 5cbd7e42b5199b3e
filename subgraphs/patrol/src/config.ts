import { z } from 'zod';
import { amqpEnv, authEnv, baseEnv, campusEnv, databaseEnv, envTypes, grpcEnv, loadConfig } from '@campus/platform';

/** "HH:MM" (or "HH:MM:SS"), 24-hour clock. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be HH:MM (24-hour clock)');

/** The patrol service's environment: the platform's shared variables plus its own. */
export const patrolEnvSchema = z.object({
  ...baseEnv,
  ...grpcEnv,
  ...databaseEnv,
  ...authEnv,
  ...amqpEnv,
  ...campusEnv,
  HTTP_PORT: envTypes.port.default(4002),
  GRPC_PORT: envTypes.port.default(50052),
  DATABASE_URL: databaseEnv.DATABASE_URL.default('postgresql://postgres@127.0.0.1:5432/campus_patrol'),
  AUTH_JWKS_URL: authEnv.AUTH_JWKS_URL.default('http://127.0.0.1:4001/.well-known/jwks.json'),
  IDENTITY_GRPC_URL: z.string().min(1).default('127.0.0.1:50051'),
  LEAVE_GRPC_URL: z.string().min(1).default('127.0.0.1:50055'),
  /** Campus-local time before which today's patrol may not start. */
  PATROL_EARLIEST_START: clockTime.default('22:00'),
});

export type PatrolConfig = z.infer<typeof patrolEnvSchema>;

export const loadPatrolConfig = (env: NodeJS.ProcessEnv = process.env): PatrolConfig => loadConfig(patrolEnvSchema, env);
