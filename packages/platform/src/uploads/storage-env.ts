import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, envTypes, requiredInProduction, secretListEnv } from '../config';
import { MIN_FILE_URL_SECRET_LENGTH } from './file-links';
import { LocalFileStorage, type FileStorage } from './file-storage';
import { createS3Client, S3FileStorage, type S3StorageSettings } from './s3-storage';

/**
 * The key of a service's download links: `FILE_URL_SECRET` (≥ 32 characters; required in
 * production), else outside production a random key kept in `FILE_URL_SECRET_FILE` (default
 * `defaultFile`, e.g. `.data/<service>-file-url-secret`). Read it with resolveFileUrlSecret.
 */
export function fileUrlSecretEnv(defaultFile: string) {
  return {
    FILE_URL_SECRET: requiredInProduction(z.string().min(MIN_FILE_URL_SECRET_LENGTH).optional()),
    FILE_URL_SECRET_FILE: z.string().min(1).default(defaultFile),
    /** More keys whose links are accepted, comma-separated, never used to sign (a rotation). */
    FILE_URL_SECRETS_ACCEPTED: secretListEnv(MIN_FILE_URL_SECRET_LENGTH),
  };
}

/** The download-link key from a parsed fileUrlSecretEnv: the given one, or the data directory's. */
export function resolveFileUrlSecret(e: {
  FILE_URL_SECRET?: string | undefined;
  FILE_URL_SECRET_FILE: string;
}): string {
  return e.FILE_URL_SECRET ?? localFileUrlSecret(path.resolve(e.FILE_URL_SECRET_FILE));
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

/** The S3 connection every service with S3 storage shares (one bucket per deployment). */
export const s3Env = {
  S3_ENDPOINT: z.url().optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_FORCE_PATH_STYLE: envTypes.bool.default(true),
};

type S3EnvValues = z.infer<z.ZodObject<typeof s3Env>>;

/** Where a service's files go: a local directory (default) or an S3-compatible bucket. */
export type FileStorageConfig = { driver: 'local'; dir: string } | ({ driver: 's3' } & S3StorageSettings);

const FILE_STORAGE_DRIVERS = ['local', 's3'] as const;
type FileStorageDriver = (typeof FILE_STORAGE_DRIVERS)[number];

type FileStorageEnv<P extends string> = { [K in P]: z.ZodDefault<z.ZodEnum<{ local: 'local'; s3: 's3' }>> } & {
  [K in `${P}_DIR`]: z.ZodDefault<z.ZodString>;
} & typeof s3Env;

/** The parsed variables of fileStorageEnv(prefix). */
export type FileStorageEnvValues<P extends string> = { [K in P]: FileStorageDriver } & {
  [K in `${P}_DIR`]: string;
} & S3EnvValues;

/**
 * A service's file storage variables: `<P>=local|s3` (default local), `<P>_DIR` (the local
 * driver's directory, default `defaultDir`) and the shared `S3_*` ones:
 * `fileStorageEnv('PHOTO_STORAGE', …)` gives PHOTO_STORAGE, PHOTO_STORAGE_DIR, S3_ENDPOINT…
 * Read them with fileStorageConfig.
 */
export function fileStorageEnv<P extends string>(prefix: P, defaultDir: string): FileStorageEnv<P> {
  if (!/^[A-Z][A-Z0-9_]*$/.test(prefix)) throw new Error(`fileStorageEnv: "${prefix}" is not an UPPER_SNAKE name`);
  const variables = {
    [prefix]: z.enum(FILE_STORAGE_DRIVERS).default('local'),
    [`${prefix}_DIR`]: z.string().min(1).default(defaultDir),
    ...s3Env,
  };
  return variables as FileStorageEnv<P>;
}

/**
 * The storage configured by fileStorageEnv(prefix); the S3 driver needs S3_BUCKET, S3_ACCESS_KEY
 * and S3_SECRET_KEY (a ConfigError names the missing ones).
 */
export function fileStorageConfig<P extends string>(e: FileStorageEnvValues<P>, prefix: P): FileStorageConfig {
  const values = e as FileStorageEnvValues<P> & Record<string, unknown>;
  const driver = values[prefix] as FileStorageDriver;
  if (driver === 'local') return { driver, dir: path.resolve(String(values[`${prefix}_DIR`])) };
  const { S3_BUCKET: bucket, S3_ACCESS_KEY: accessKeyId, S3_SECRET_KEY: secretAccessKey } = e;
  if (!bucket || !accessKeyId || !secretAccessKey) {
    const missing = (['S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const).filter((name) => !e[name]);
    throw new ConfigError(missing.map((name) => `${name} is required when ${prefix}=s3`));
  }
  return {
    driver,
    ...(e.S3_ENDPOINT ? { endpoint: e.S3_ENDPOINT } : {}),
    bucket,
    region: e.S3_REGION,
    accessKeyId,
    secretAccessKey,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
  };
}

/** The storage a FileStorageConfig describes (the S3 SDK is loaded only for the S3 driver). */
export async function openFileStorage(config: FileStorageConfig): Promise<FileStorage> {
  if (config.driver === 'local') return new LocalFileStorage(config.dir);
  return new S3FileStorage(await createS3Client(config), config.bucket);
}
