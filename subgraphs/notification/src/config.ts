import {
  envTypes,
  grpcDependencyEnv,
  loadConfig,
  subgraphEnv,
  subgraphSettings,
  type SubgraphSettings,
} from '@campus/platform';
import { z } from 'zod';

/** Comma-separated positive milliseconds, e.g. "1000,5000,30000". */
const delayList = z
  .string()
  .regex(/^\s*\d+\s*(,\s*\d+\s*)*$/, 'expected comma-separated milliseconds, e.g. 1000,5000,30000')
  .transform((text) => text.split(',').map((part) => Number(part.trim())))
  .refine((delays) => delays.every((ms) => ms > 0), 'every delay must be > 0');

export const notificationEnv = z.object({
  ...subgraphEnv('notification', 4006, 50056),
  ...grpcDependencyEnv('IDENTITY', 50051),
  /** The durable queue this service consumes campus events from (every producer declares it too). */
  NOTIFICATION_QUEUE: z.string().min(1).default('notification.events'),
  NOTIFICATION_PREFETCH: envTypes.positiveInt.max(1000).default(16),
  NOTIFICATION_RETRY_DELAYS_MS: delayList.default([1_000, 5_000, 30_000]),
  /** Fanout exchange the instances use to hand each other live pushes. */
  NOTIFICATION_LIVE_EXCHANGE: z.string().min(1).default('campus.notifications.live'),
  /** Comment lines on idle streams, so proxies do not close them. */
  SSE_HEARTBEAT_MS: envTypes.positiveInt.default(15_000),
  /** Reconnect delay suggested to EventSource clients. */
  SSE_RETRY_MS: envTypes.positiveInt.default(3_000),
  SSE_MAX_STREAMS_PER_USER: envTypes.positiveInt.default(10),
  /** The longest a stream stays open; it also ends when its access token expires. */
  SSE_MAX_LIFETIME_MS: envTypes.positiveInt.default(15 * 60_000),
  STREAM_TICKET_TTL_SECONDS: envTypes.seconds.max(600).default(60),
  /** How long consumed event ids are kept to recognise duplicates. */
  INBOX_RETENTION_DAYS: envTypes.positiveInt.max(3650).default(30),
  /** How long identity's staff lists and names are reused by the notifier (0 = ask every time). */
  NOTIFICATION_DIRECTORY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
});

export interface NotificationConfig extends SubgraphSettings {
  amqp: SubgraphSettings['amqp'] & {
    queue: string;
    prefetch: number;
    retryDelaysMs: number[];
    liveExchange: string;
  };
  identityGrpcUrl: string;
  stream: {
    heartbeatMs: number;
    retryMs: number;
    maxStreamsPerUser: number;
    maxLifetimeMs: number;
    ticketTtlSeconds: number;
  };
  inboxRetentionMs: number;
  directoryCacheTtlMs: number;
}

export function loadNotificationConfig(env: NodeJS.ProcessEnv = process.env): NotificationConfig {
  const e = loadConfig(notificationEnv, env);
  const settings = subgraphSettings(e);
  return {
    ...settings,
    amqp: {
      ...settings.amqp,
      queue: e.NOTIFICATION_QUEUE,
      prefetch: e.NOTIFICATION_PREFETCH,
      retryDelaysMs: e.NOTIFICATION_RETRY_DELAYS_MS,
      liveExchange: e.NOTIFICATION_LIVE_EXCHANGE,
    },
    identityGrpcUrl: e.IDENTITY_GRPC_URL,
    stream: {
      heartbeatMs: e.SSE_HEARTBEAT_MS,
      retryMs: e.SSE_RETRY_MS,
      maxStreamsPerUser: e.SSE_MAX_STREAMS_PER_USER,
      maxLifetimeMs: e.SSE_MAX_LIFETIME_MS,
      ticketTtlSeconds: e.STREAM_TICKET_TTL_SECONDS,
    },
    inboxRetentionMs: e.INBOX_RETENTION_DAYS * 86_400_000,
    directoryCacheTtlMs: e.NOTIFICATION_DIRECTORY_CACHE_SECONDS * 1000,
  };
}
