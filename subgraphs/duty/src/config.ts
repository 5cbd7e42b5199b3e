import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  envTypes,
  fileStorageConfig,
  fileStorageEnv,
  fileUrlSecretEnv,
  grpcDependencyEnv,
  loadConfig,
  subgraphEnv,
  resolveFileUrlSecret,
  secretList,
  subgraphSettings,
  type FileStorageConfig,
  type SubgraphSettings,
} from '@campus/platform';
import type { DutyTimes } from './domain/records';

/** The repository root, from src/ (tsx, jest) and from dist/ (built) alike. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** HH:MM or HH:MM:SS on the campus wall clock. */
const wallTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be a campus-local time HH:MM or HH:MM:SS');

/** The duty service's environment; its defaults are its row in scripts/lib/services.ts. */
export const dutyEnv = z.object({
  ...subgraphEnv('duty', 4003, 50053),
  ...grpcDependencyEnv('IDENTITY', 50051),
  /** The router's public origin: upload, photo and calendar URLs handed to clients point there. */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:4000'),
  /** Campus-local times of the duty rules (domain spec §6). */
  DUTY_DEADLINE_TIME: wallTime.default('23:00'),
  DUTY_EVENING_REMINDER_TIME: wallTime.default('18:00'),
  DUTY_MORNING_REMINDER_TIME: wallTime.default('09:00'),
  DUTY_SANCTION_INVITATION_TIME: wallTime.default('09:00'),
  /**
   * How often the durable scheduler looks for passed deadlines and due reminders (cron in
   * CAMPUS_TIMEZONE; 5 or 6 fields). Every minute by default: a deadline is acted on within a minute.
   */
  DUTY_SWEEP_CRON: z.string().min(1).default('* * * * *'),
  UPLOAD_URL_TTL_SECONDS: envTypes.seconds.default(600),
  DOWNLOAD_URL_TTL_SECONDS: envTypes.seconds.default(300),
  /** PHOTO_STORAGE=local|s3, PHOTO_STORAGE_DIR (local; default .data/duty-photos) and the shared S3_* variables. */
  ...fileStorageEnv('PHOTO_STORAGE', path.join(REPO_ROOT, '.data', 'duty-photos')),
  /**
   * FILE_URL_SECRET: HMAC key of photo download links (≥ 32 characters; required in production);
   * without it, a random key kept in FILE_URL_SECRET_FILE (default .data/duty-file-url-secret).
   */
  ...fileUrlSecretEnv(path.join(REPO_ROOT, '.data', 'duty-file-url-secret')),
  /** Where photo bodies are spooled while being received and inspected. */
  UPLOAD_SPOOL_DIR: z.string().min(1).default(path.join(os.tmpdir(), 'campus-duty-uploads')),
});

export interface DutyConfig extends SubgraphSettings {
  identityGrpcUrl: string;
  publicBaseUrl: string;
  times: DutyTimes;
  sweepCron: string;
  uploadUrlTtlMs: number;
  downloadUrlTtlMs: number;
  photoStorageDir: string;
  /** Where photos are stored (PHOTO_STORAGE: local directory or S3). */
  photoStorage: FileStorageConfig;
  fileUrlSecret: string;
  /** FILE_URL_SECRETS_ACCEPTED: more keys whose download links are accepted (a rotation). */
  fileUrlSecretsAccepted: string[];
  spoolDir: string;
}

export function loadDutyConfig(env: NodeJS.ProcessEnv = process.env): DutyConfig {
  const e = loadConfig(dutyEnv, env);
  return {
    ...subgraphSettings(e),
    identityGrpcUrl: e.IDENTITY_GRPC_URL,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    times: {
      deadline: e.DUTY_DEADLINE_TIME,
      eveningReminder: e.DUTY_EVENING_REMINDER_TIME,
      morningReminder: e.DUTY_MORNING_REMINDER_TIME,
      sanctionInvitation: e.DUTY_SANCTION_INVITATION_TIME,
    },
    sweepCron: e.DUTY_SWEEP_CRON,
    uploadUrlTtlMs: e.UPLOAD_URL_TTL_SECONDS * 1000,
    downloadUrlTtlMs: e.DOWNLOAD_URL_TTL_SECONDS * 1000,
    photoStorageDir: path.resolve(e.PHOTO_STORAGE_DIR),
    photoStorage: fileStorageConfig(e, 'PHOTO_STORAGE'),
    fileUrlSecret: resolveFileUrlSecret(e),
    fileUrlSecretsAccepted: secretList(e.FILE_URL_SECRETS_ACCEPTED),
    spoolDir: path.resolve(e.UPLOAD_SPOOL_DIR),
  };
}
