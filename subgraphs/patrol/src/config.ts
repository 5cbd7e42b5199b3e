import { z } from 'zod';
import { grpcDependencyEnv, loadConfig, subgraphEnv, subgraphSettings, type SubgraphSettings } from '@campus/platform';

/** "HH:MM" (or "HH:MM:SS"), 24-hour clock. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be HH:MM (24-hour clock)');

/** The patrol service's environment: the platform's shared variables plus its own. */
export const patrolEnv = z.object({
  ...subgraphEnv('patrol', 4002, 50052),
  ...grpcDependencyEnv('IDENTITY', 50051),
  ...grpcDependencyEnv('LEAVE', 50055),
  /** Campus-local time before which today's patrol may not start. */
  PATROL_EARLIEST_START: clockTime.default('22:00'),
});

export interface PatrolConfig extends SubgraphSettings {
  /** Campus-local "HH:MM" before which today's patrol may not start. */
  earliestStart: string;
  identityGrpcUrl: string;
  leaveGrpcUrl: string;
}

export function loadPatrolConfig(env: NodeJS.ProcessEnv = process.env): PatrolConfig {
  const e = loadConfig(patrolEnv, env);
  return {
    ...subgraphSettings(e),
    earliestStart: e.PATROL_EARLIEST_START,
    identityGrpcUrl: e.IDENTITY_GRPC_URL,
    leaveGrpcUrl: e.LEAVE_GRPC_URL,
  };
}
