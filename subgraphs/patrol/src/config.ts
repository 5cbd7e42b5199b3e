import { z } from 'zod';
import {
  amqpEnv,
  authEnv,
  baseEnv,
  campusEnv,
  databaseEnv,
  envTypes,
  grpcDependencyEnv,
  grpcEnv,
  loadConfig,
  serviceSettings,
  type ServiceSettings,
} from '@campus/platform';

/** "HH:MM" (or "HH:MM:SS"), 24-hour clock. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be HH:MM (24-hour clock)');

/** The patrol service's environment: the platform's shared variables plus its own. */
export const patrolEnv = z.object({
  ...baseEnv,
  HTTP_PORT: envTypes.port.default(4002),
  ...grpcEnv,
  GRPC_PORT: envTypes.port.default(50052),
  ...databaseEnv,
  DATABASE_URL: databaseEnv.DATABASE_URL.default('postgresql://postgres@127.0.0.1:5432/campus_patrol'),
  ...authEnv,
  AUTH_JWKS_URL: authEnv.AUTH_JWKS_URL.default('http://127.0.0.1:4001/.well-known/jwks.json'),
  ...amqpEnv,
  ...campusEnv,
  ...grpcDependencyEnv('IDENTITY', 50051),
  ...grpcDependencyEnv('LEAVE', 50055),
  /** Campus-local time before which today's patrol may not start. */
  PATROL_EARLIEST_START: clockTime.default('22:00'),
});

export interface PatrolConfig extends ServiceSettings {
  amqp: { url: string; exchange: string };
  campusTimeZone: string;
  /** Campus-local "HH:MM" before which today's patrol may not start. */
  earliestStart: string;
  identityGrpcUrl: string;
  leaveGrpcUrl: string;
}

export function loadPatrolConfig(env: NodeJS.ProcessEnv = process.env): PatrolConfig {
  const e = loadConfig(patrolEnv, env);
  return {
    ...serviceSettings(e),
    amqp: { url: e.AMQP_URL, exchange: e.AMQP_EXCHANGE },
    campusTimeZone: e.CAMPUS_TIMEZONE,
    earliestStart: e.PATROL_EARLIEST_START,
    identityGrpcUrl: e.IDENTITY_GRPC_URL,
    leaveGrpcUrl: e.LEAVE_GRPC_URL,
  };
}
