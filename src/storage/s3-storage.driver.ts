/**
 * Storage in an S3 bucket (AWS or any S3-compatible server): the choice once API and workers run
 * on different machines. Streams of unknown length go up with `Upload` (multipart, bounded memory).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertValidKey, keyFromStorageUrl } from './object-key';
import type {
  ObjectStat,
  PutOptions,
  PutResult,
  StorageDriver,
  StorageSource,
} from './storage-driver';
import {
  FileTooLargeError,
  StorageConfigError,
  StorageObjectNotFoundError,
  StorageUnavailableError,
} from './storage.errors';
import {
  MeteringStream,
  discardSource,
  readToBuffer,
  sha256Hex,
  toBuffer,
  writeStreamToFile,
} from './storage-streams';

export interface S3StorageDriverOptions {
  bucket: string;
  region: string;
  /** For S3-compatible servers (MinIO, s3rver…); omit for AWS. */
  endpoint?: string;
  /** Path-style URLs (`<endpoint>/<bucket>/<key>`): needed by most S3-compatible servers. */
  forcePathStyle: boolean;
  /** Both or neither; without them the AWS default credential chain applies (env, IAM role…). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Create the bucket in `init()` when missing (development and tests). */
  createBucket: boolean;
  /** Multipart part size in bytes; at least 5 MiB (S3's minimum). Default 5 MiB. */
  partSizeBytes?: number;
  /** Parts uploaded in parallel per upload. Default 2. Memory per upload ≈ (queueSize + 1) × part size. */
  queueSize?: number;
}

export const DEFAULT_PART_SIZE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_QUEUE_SIZE = 2;
/** DeleteObjects takes at most 1000 keys per call. */
const DELETE_BATCH = 1000;

export class S3StorageDriver implements StorageDriver {
  readonly kind = 's3' as const;
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly urlPrefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(private readonly options: S3StorageDriverOptions) {
    if (!options.bucket) throw new StorageConfigError('S3 storage needs a bucket (S3_BUCKET)');
    if (!options.region) throw new StorageConfigError('S3 storage needs a region (S3_REGION)');
    if (Boolean(options.accessKeyId) !== Boolean(options.secretAccessKey)) {
      throw new StorageConfigError(
        'Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (default AWS credentials)',
      );
    }
    this.partSize = options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
    this.queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
    if (!Number.isSafeInteger(this.partSize) || this.partSize < DEFAULT_PART_SIZE_BYTES) {
      throw new StorageConfigError(`S3 part size must be an integer ≥ ${DEFAULT_PART_SIZE_BYTES}`);
    }
    if (!Number.isSafeInteger(this.queueSize) || this.queueSize < 1) {
      throw new StorageConfigError('S3 queue size must be a positive integer');
    }
    this.bucket = options.bucket;
    this.urlPrefix = `s3://${options.bucket}/`;
    const config: S3ClientConfig = {
      region: options.region,
      forcePathStyle: options.forcePathStyle,
    };
    if (options.endpoint) config.endpoint = options.endpoint;
    if (options.accessKeyId && options.secretAccessKey) {
      config.credentials = {
        accessKeyId: options.accessKeyId,
        secretAccessKey: options.secretAccessKey,
      };
    }
    this.client = new S3Client(config);
  }

  async init(): Promise<void> {
    if (!this.options.createBucket) return;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const region = this.options.region;
    try {
      await this.client.send(
        new CreateBucketCommand({
          Bucket: this.bucket,
          // us-east-1 is the one region that must not be named.
          ...(region === 'us-east-1'
            ? {}
            : {
                CreateBucketConfiguration: {
                  LocationConstraint: region as BucketLocationConstraint,
                },
              }),
        }),
      );
    } catch (err) {
      // Another instance created it at the same moment.
      if (
        errorName(err) !== 'BucketAlreadyOwnedByYou' &&
        errorName(err) !== 'BucketAlreadyExists'
      ) {
        throw err;
      }
    }
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }

  async put(key: string, source: StorageSource, options: PutOptions = {}): Promise<PutResult> {
    let meter: MeteringStream;
    try {
      assertValidKey(key);
      meter = new MeteringStream(options.maxBytes);
    } catch (err) {
      discardSource(source);
      throw err;
    }
    // The pipeline ends at the meter, whose readable side Upload consumes. It carries errors
    // from the source into the meter (and so into Upload), and destroys the source on failure.
    let streamError: unknown;
    pipeline(source, meter, (err) => {
      streamError ??= err ?? undefined;
    });
    try {
      const upload = new Upload({
        client: this.client,
        params: {
          Bucket: this.bucket,
          Key: key,
          Body: meter,
          ContentType: options.contentType ?? 'application/octet-stream',
        },
        partSize: this.partSize,
        queueSize: this.queueSize,
        // On failure Upload aborts the multipart upload, so no parts are left behind.
        leavePartsOnError: false,
      });
      await upload.done();
    } catch (err) {
      // The root cause beats whatever the clean-up (AbortMultipartUpload) answered.
      const cause = meter.tooLarge
        ? new FileTooLargeError(options.maxBytes ?? 0)
        : (streamError ?? err);
      meter.destroy();
      throw cause;
    }
    return { key, size: meter.bytesSeen, sha256: meter.sha256() };
  }

  async putBuffer(
    key: string,
    data: Uint8Array | string,
    options: Pick<PutOptions, 'contentType'> = {},
  ): Promise<PutResult> {
    assertValidKey(key);
    const bytes = toBuffer(data);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentLength: bytes.length,
        ContentType: options.contentType ?? 'application/octet-stream',
      }),
    );
    return { key, size: bytes.length, sha256: sha256Hex(bytes) };
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      if (!(response.Body instanceof Readable)) {
        throw new Error(`S3 returned no readable body for ${key}`);
      }
      return response.Body;
    } catch (err) {
      throw isNotFound(err) ? new StorageObjectNotFoundError(key) : err;
    }
  }

  async getBuffer(key: string): Promise<Buffer> {
    return readToBuffer(await this.get(key));
  }

  async copyToLocalFile(key: string, localPath: string): Promise<void> {
    await writeStreamToFile(await this.get(key), localPath);
  }

  async withLocalFile<T>(key: string, fn: (localPath: string) => Promise<T>): Promise<T> {
    const body = await this.get(key);
    let dir: string | undefined;
    try {
      dir = await mkdtemp(join(tmpdir(), 'extraction-storage-'));
      // The last key segment is a sanitised name, so extractors still see the extension.
      const localPath = join(dir, key.slice(key.lastIndexOf('/') + 1));
      await writeStreamToFile(body, localPath);
      return await fn(localPath);
    } finally {
      body.destroy();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.stat(key);
      return true;
    } catch (err) {
      if (err instanceof StorageObjectNotFoundError) return false;
      throw err;
    }
  }

  async stat(key: string): Promise<ObjectStat> {
    assertValidKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: head.ContentLength ?? 0, lastModified: head.LastModified ?? new Date(0) };
    } catch (err) {
      throw isNotFound(err) ? new StorageObjectNotFoundError(key) : err;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    // S3 answers 204 for absent keys: idempotent by nature.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertValidKey(prefix);
    let deleted = 0;
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: `${prefix}/`,
          MaxKeys: DELETE_BATCH,
          ContinuationToken: continuationToken,
        }),
      );
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
      if (keys.length > 0) {
        const result = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        const failed = result.Errors ?? [];
        if (failed.length > 0) {
          const first = failed[0];
          throw new Error(
            `S3 refused to delete ${failed.length} object(s) under ${prefix}/, e.g. ${first.Key}: ${first.Code} ${first.Message}`,
          );
        }
        deleted += keys.length;
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    return deleted;
  }

  async healthCheck(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      throw new StorageUnavailableError(
        `S3 bucket ${this.bucket} is not reachable: ${errorName(err) ?? String(err)}`,
        { cause: err },
      );
    }
  }

  urlFor(key: string): string {
    return this.urlPrefix + assertValidKey(key);
  }

  keyFromUrl(url: string): string {
    return keyFromStorageUrl(url, this.urlPrefix);
  }
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

function isNotFound(err: unknown): boolean {
  const name = errorName(err);
  if (name === 'NoSuchKey' || name === 'NotFound') return true;
  const status = (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  return status === 404 && name !== 'NoSuchBucket';
}
