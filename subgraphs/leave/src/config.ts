import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  envTypes,
  grpcDependencyEnv,
  loadConfig,
  subgraphEnv,
  subgraphSettings,
  type SubgraphSettings,
} from '@campus/platform';
import type { LeaveLimits } from './domain/limits';

/** The repository root, from src/ (tsx, jest) and from dist/ (built) alike. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Shortest accepted HMAC key of download links. */
const MIN_FILE_URL_SECRET_LENGTH = 32;

export const leaveEnv = z
  .object({
    ...subgraphEnv('leave', 4005, 50055),
    ...grpcDependencyEnv('IDENTITY', 50051),
    /** The router's public origin: upload and download URLs handed to clients point there. */
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:4000'),
    /** HMAC key of download links (≥ 32 characters); required in production. */
    FILE_URL_SECRET: z.string().min(MIN_FILE_URL_SECRET_LENGTH).optional(),
    /** Outside production without FILE_URL_SECRET: a random key generated once and kept in this file. */
    FILE_URL_SECRET_FILE: z
      .string()
      .min(1)
      .default(path.join(REPO_ROOT, '.data', 'leave-file-url-secret')),
    /** The longest leave (leaveAt → returnAt) a student may ask for. */
    LEAVE_MAX_DAYS: envTypes.positiveInt.default(30),
    /** How many undecided applications a student may have at once. */
    LEAVE_MAX_PENDING_PER_STUDENT: envTypes.positiveInt.default(5),
    UPLOAD_URL_TTL_SECONDS: envTypes.seconds.default(600),
    DOWNLOAD_URL_TTL_SECONDS: envTypes.seconds.default(300),
    DOCUMENT_STORAGE: z.enum(['local', 's3']).default('local'),
    DOCUMENT_STORAGE_DIR: z
      .string()
      .min(1)
      .default(path.join(REPO_ROOT, '.data', 'leave-documents')),
    /** Where request bodies are spooled while being received and inspected. */
    UPLOAD_SPOOL_DIR: z.string().min(1).default(path.join(os.tmpdir(), 'campus-leave-uploads')),
    S3_ENDPOINT: z.url().optional(),
    S3_BUCKET: z.string().min(1).optional(),
    S3_ACCESS_KEY: z.string().min(1).optional(),
    S3_SECRET_KEY: z.string().min(1).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_FORCE_PATH_STYLE: envTypes.bool.default(true),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.FILE_URL_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['FILE_URL_SECRET'], message: 'required in production' });
    }
    if (env.DOCUMENT_STORAGE === 's3') {
      for (const name of ['S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when DOCUMENT_STORAGE=s3' });
      }
    }
  });

export type DocumentStorageConfig =
  | { driver: 'local'; dir: string }
  | {
      driver: 's3';
      endpoint?: string;
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
    };

export interface LeaveConfig extends SubgraphSettings {
  identityGrpcUrl: string;
  publicBaseUrl: string;
  fileUrlSecret: string;
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
    fileUrlSecret: e.FILE_URL_SECRET ?? localFileUrlSecret(path.resolve(e.FILE_URL_SECRET_FILE)),
    limits: { maxDays: e.LEAVE_MAX_DAYS, maxPendingPerStudent: e.LEAVE_MAX_PENDING_PER_STUDENT },
    uploadUrlTtlMs: e.UPLOAD_URL_TTL_SECONDS * 1000,
    downloadUrlTtlMs: e.DOWNLOAD_URL_TTL_SECONDS * 1000,
    storage:
      e.DOCUMENT_STORAGE === 's3'
        ? {
            driver: 's3',
            ...(e.S3_ENDPOINT ? { endpoint: e.S3_ENDPOINT } : {}),
            bucket: e.S3_BUCKET!,
            region: e.S3_REGION,
            accessKeyId: e.S3_ACCESS_KEY!,
            secretAccessKey: e.S3_SECRET_KEY!,
            forcePathStyle: e.S3_FORCE_PATH_STYLE,
          }
        : { driver: 'local', dir: path.resolve(e.DOCUMENT_STORAGE_DIR) },
    spoolDir: path.resolve(e.UPLOAD_SPOOL_DIR),
  };
}

/**
 * The download-link key of a development or test run without FILE_URL_SECRET: random, generated
 * once per data directory and kept there (owner-only), so links survive restarts yet nobody can
 * forge them from the source. Production never gets here (FILE_URL_SECRET is required).
 */
export function localFileUrlSecret(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, crypto.randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_FILE_URL_SECRET_LENGTH) {
    throw new Error(`${file} must hold at least ${MIN_FILE_URL_SECRET_LENGTH} characters (delete it to regenerate)`);
  }
  return secret;
}
