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
  resolveFileUrlSecret,
  secretList,
  subgraphEnv,
  subgraphSettings,
  type FileStorageConfig,
  type SubgraphSettings,
} from '@campus/platform';
import type { LeaveLimits } from './domain/limits';

/** The repository root, from src/ (tsx, jest) and from dist/ (built) alike. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export const leaveEnv = z.object({
  ...subgraphEnv('leave', 4005, 50055),
  ...grpcDependencyEnv('IDENTITY', 50051),
  /** The router's public origin: upload and download URLs handed to clients point there. */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:4000'),
  /**
   * FILE_URL_SECRET: HMAC key of download links (≥ 32 characters; required in production);
   * without it, a random key kept in FILE_URL_SECRET_FILE.
   */
  ...fileUrlSecretEnv(path.join(REPO_ROOT, '.data', 'leave-file-url-secret')),
  /** The longest leave (leaveAt → returnAt) a student may ask for. */
  LEAVE_MAX_DAYS: envTypes.positiveInt.default(30),
  /** How far ahead a leave may start, in days. */
  LEAVE_MAX_DAYS_AHEAD: envTypes.positiveInt.default(90),
  /** How many undecided applications a student may have at once. */
  LEAVE_MAX_PENDING_PER_STUDENT: envTypes.positiveInt.default(5),
  /** How long identity's answer about an applicant is reused by submissions (0 = ask every time). */
  LEAVE_APPLICANT_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  UPLOAD_URL_TTL_SECONDS: envTypes.seconds.default(600),
  DOWNLOAD_URL_TTL_SECONDS: envTypes.seconds.default(300),
  /** DOCUMENT_STORAGE=local|s3, DOCUMENT_STORAGE_DIR (local) and the shared S3_* variables. */
  ...fileStorageEnv('DOCUMENT_STORAGE', path.join(REPO_ROOT, '.data', 'leave-documents')),
  /** Where request bodies are spooled while being received and inspected. */
  UPLOAD_SPOOL_DIR: z.string().min(1).default(path.join(os.tmpdir(), 'campus-leave-uploads')),
});

/** Where document bytes live: a local directory or an S3-compatible bucket. */
export type DocumentStorageConfig = FileStorageConfig;

export interface LeaveConfig extends SubgraphSettings {
  /** Reuse of identity's applicant facts by submissions (ms; 0 = off). */
  applicantCacheTtlMs: number;
  identityGrpcUrl: string;
  publicBaseUrl: string;
  fileUrlSecret: string;
  /** FILE_URL_SECRETS_ACCEPTED: more keys whose download links are accepted (a rotation). */
  fileUrlSecretsAccepted: string[];
  limits: LeaveLimits;
  uploadUrlTtlMs: number;
  downloadUrlTtlMs: number;
  storage: DocumentStorageConfig;
  spoolDir: string;
}

export function loadLeaveConfig(env: NodeJS.ProcessEnv = process.env): LeaveConfig {
  const e = loadConfig(leaveEnv, env);
  return {
    ...subgraphSettings(e),
    identityGrpcUrl: e.IDENTITY_GRPC_URL,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    fileUrlSecret: resolveFileUrlSecret(e),
    fileUrlSecretsAccepted: secretList(e.FILE_URL_SECRETS_ACCEPTED),
    limits: {
      maxDays: e.LEAVE_MAX_DAYS,
      maxDaysAhead: e.LEAVE_MAX_DAYS_AHEAD,
      maxPendingPerStudent: e.LEAVE_MAX_PENDING_PER_STUDENT,
    },
    applicantCacheTtlMs: e.LEAVE_APPLICANT_CACHE_SECONDS * 1000,
    uploadUrlTtlMs: e.UPLOAD_URL_TTL_SECONDS * 1000,
    downloadUrlTtlMs: e.DOWNLOAD_URL_TTL_SECONDS * 1000,
    storage: fileStorageConfig(e, 'DOCUMENT_STORAGE'),
    spoolDir: path.resolve(e.UPLOAD_SPOOL_DIR),
  };
}
