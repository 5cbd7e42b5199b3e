import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { assertStorageKey, type FileStorage } from './file-storage';

export interface S3StorageSettings {
  /** e.g. http://minio:9000; empty for AWS itself. */
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** MinIO and most S3-compatible servers need path-style URLs (http://host/bucket/key). */
  forcePathStyle: boolean;
}

/** The subset of S3Client the driver uses (a test can pass a client with a fake request handler). */
export type S3Sender = Pick<S3Client, 'send'>;

/**
 * The AWS SDK, loaded on first use: it takes half a second to load, and only services configured
 * with S3 storage need it.
 */
const s3Sdk = () => import('@aws-sdk/client-s3');

export async function createS3Client(
  settings: S3StorageSettings,
  overrides: Partial<S3ClientConfig> = {},
): Promise<S3Client> {
  const { S3Client } = await s3Sdk();
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // By default the SDK sends a stream body as `aws-chunked` with a trailing CRC32. An
    // S3-compatible server that does not decode that framing (older MinIO, s3rver, ...) stores the
    // chunk headers and trailer as part of the object and answers 200: silently corrupted
    // files. Checksums only where an operation requires them: a plain body every server reads.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...overrides,
  });
}

/** Files as objects in an S3-compatible bucket (MinIO in docker-compose). Objects stay private. */
export class S3FileStorage implements FileStorage {
  constructor(
    private readonly client: S3Sender,
    private readonly bucket: string,
  ) {}

  async put(key: string, fromFile: string, contentType: string): Promise<void> {
    assertStorageKey(key);
    const { PutObjectCommand } = await s3Sdk();
    const { size } = await fs.promises.stat(fromFile);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: fs.createReadStream(fromFile),
        ContentLength: size, // a stream body needs its length up front
        ContentType: contentType,
      }),
    );
  }

  async open(key: string): Promise<Readable | null> {
    assertStorageKey(key);
    const { GetObjectCommand } = await s3Sdk();
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (Body instanceof Readable) return Body;
      throw new Error('S3 returned no readable body');
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertStorageKey(key);
    const { DeleteObjectCommand } = await s3Sdk();
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async check(): Promise<void> {
    const { HeadBucketCommand } = await s3Sdk();
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      // HEAD responses have no body, so the SDK's own error is a bare "NotFound: UnknownError".
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const reason =
        status === 404
          ? 'does not exist'
          : status === 403 || status === 401
            ? `refuses access with these credentials (HTTP ${status})`
            : `is not reachable: ${(error as Error).name}: ${(error as Error).message}`;
      throw new Error(`S3 bucket "${this.bucket}" ${reason}`, { cause: error });
    }
  }
}
