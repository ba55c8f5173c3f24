import type { Readable } from 'node:stream';

export type StorageDriverKind = 'local' | 's3';

/** What `put` accepts: a Node stream or any async iterable of bytes (e.g. an async generator). */
export type StorageSource = Readable | AsyncIterable<Uint8Array>;

export interface PutOptions {
  /** Stored as the object's Content-Type on S3; ignored by the local driver. */
  contentType?: string;
  /** Abort with `FileTooLargeError` as soon as more than this many bytes arrive. */
  maxBytes?: number;
}

export interface PutResult {
  key: string;
  /** Bytes stored. */
  size: number;
  /** Lower-case hex SHA-256 of the stored bytes. */
  sha256: string;
}

export interface ObjectStat {
  size: number;
  lastModified: Date;
}

/**
 * One interface over the local folder and S3. Keys are `/`-separated relative paths made of
 * `[A-Za-z0-9._-]` segments that never start with a dot (see object-key.ts); every method refuses
 * other keys with `InvalidStorageKeyError`. Nothing holds a whole object in memory except the
 * `*Buffer` helpers, which are meant for small objects.
 */
export interface StorageDriver {
  readonly kind: StorageDriverKind;

  /** Prepares the backend: creates the local folder, or the bucket when configured to. */
  init(): Promise<void>;
  /** Releases connections. The driver is unusable afterwards. */
  close(): Promise<void>;

  /**
   * Streams `source` into `key`, computing size and SHA-256 on the way. The object becomes visible
   * only once complete, replacing any previous one. Above `maxBytes` it stops reading, leaves
   * nothing behind and throws `FileTooLargeError`. On any failure the source is destroyed.
   */
  put(key: string, source: StorageSource, options?: PutOptions): Promise<PutResult>;
  putBuffer(
    key: string,
    data: Uint8Array | string,
    options?: Pick<PutOptions, 'contentType'>,
  ): Promise<PutResult>;

  /** A stream of the object. Throws `StorageObjectNotFoundError` before returning if absent. */
  get(key: string): Promise<Readable>;
  /** The whole object in memory: small objects only (results, previews). */
  getBuffer(key: string): Promise<Buffer>;
  /** Writes the object to `localPath` (overwritten if present; removed again on failure). */
  copyToLocalFile(key: string, localPath: string): Promise<void>;
  /**
   * Calls `fn` with a local path holding the object's bytes, then cleans up. The local driver
   * passes the stored file itself (treat it as read-only); S3 downloads to a temporary folder that
   * is removed when `fn` settles, whether it succeeds or throws. If the object is missing, the
   * answer is `StorageObjectNotFoundError` (the local driver finds out once `fn` fails to read).
   */
  withLocalFile<T>(key: string, fn: (localPath: string) => Promise<T>): Promise<T>;

  exists(key: string): Promise<boolean>;
  /** Throws `StorageObjectNotFoundError` if absent. */
  stat(key: string): Promise<ObjectStat>;
  /** Removes the object; succeeds when it is already gone. */
  delete(key: string): Promise<void>;
  /** Removes every object under `prefix/` (a folder-like prefix); returns how many it removed. */
  deletePrefix(prefix: string): Promise<number>;

  /** Cheap readiness probe: folder writable / HeadBucket. Throws `StorageUnavailableError`. */
  healthCheck(): Promise<void>;

  /** The stored form of a location (`file_url`): `local://<key>` or `s3://<bucket>/<key>`. */
  urlFor(key: string): string;
  /**
   * The key inside a `file_url`. Refuses, with `StorageKeyOutsideError`, anything that is not a
   * valid key in this very storage: another scheme, another bucket, traversal, malformed keys.
   */
  keyFromUrl(url: string): string;
}
