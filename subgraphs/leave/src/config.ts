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

/** The repository root, from src/ (tsx, jest) and from dist/ (built) alike. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Only for development and tests: production must set its own FILE_URL_SECRET. */
const DEV_FILE_URL_SECRET = 'campus-sirius-dev-only-file-url-secret-change-me';

export const leaveEnv = z
  .object({
    ...subgraphEnv('leave', 4005, 50055),
    ...grpcDependencyEnv('IDENTITY', 50051),
    /** The router's public origin: upload and download URLs handed to clients point there. */
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:4000'),
    /** HMAC key of download links (≥ 32 characters); required in production. */
    FILE_URL_SECRET: z.string().min(32).optional(),
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
    fileUrlSecret: e.FILE_URL_SECRET ?? DEV_FILE_URL_SECRET,
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
