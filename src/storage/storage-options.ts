import type { S3StorageDriverOptions } from './s3-storage.driver';
import type { StorageDriverKind } from './storage-driver';

/** Bucket, region, endpoint, path style, credentials, createBucket, multipart tuning. */
export type S3StorageOptions = S3StorageDriverOptions;

/**
 * Plain, typed storage settings. The application fills them from its configuration (see
 * docs/storage.md for the environment variables); worker threads receive them as plain data.
 */
export interface StorageOptions {
  driver: StorageDriverKind;
  /** Folder of the local driver; a relative path is resolved against the working directory. */
  localRoot?: string;
  /** Required when `driver` is `s3`. */
  s3?: S3StorageOptions;
}
