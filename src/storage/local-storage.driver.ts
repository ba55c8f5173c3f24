/**
 * Storage in a local folder: for one machine (API and workers share the disk). Keys map to paths
 * under the root; uploads go to `<root>/.tmp` first and are renamed into place once complete, so
 * readers never see a partial file and a failed upload leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import { constants as fsConstants, createWriteStream } from 'node:fs';
import {
  access,
  copyFile,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, keyFromStorageUrl } from './object-key';
import type {
  ObjectStat,
  PutOptions,
  PutResult,
  StorageDriver,
  StorageSource,
} from './storage-driver';
import {
  InvalidStorageKeyError,
  StorageObjectNotFoundError,
  StorageUnavailableError,
} from './storage.errors';
import {
  MeteringStream,
  discardSource,
  readToBuffer,
  sha256Hex,
  toBuffer,
} from './storage-streams';

export interface LocalStorageDriverOptions {
  /** The storage folder; a relative path is resolved against the working directory. */
  root: string;
}

/**
 * Partial files untouched for this long are orphans (a crash, a lost connection): swept at start-up
 * and every `TEMP_SWEEP_INTERVAL_MS`. A write in progress renews the file's mtime with each chunk.
 */
const STALE_TEMP_MS = 60 * 60 * 1000;
const TEMP_SWEEP_INTERVAL_MS = 10 * 60 * 1000;
export const LOCAL_URL_PREFIX = 'local://';

export class LocalStorageDriver implements StorageDriver {
  readonly kind = 'local' as const;
  readonly root: string;
  /** Keys never start with a dot, so this folder can never be addressed as an object. */
  private readonly tempDir: string;
  private tempSweep?: NodeJS.Timeout;

  constructor(options: LocalStorageDriverOptions) {
    this.root = resolve(options.root);
    this.tempDir = join(this.root, '.tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.tempDir, { recursive: true });
    await this.sweepStaleTempFiles();
    this.tempSweep = setInterval(() => {
      this.sweepStaleTempFiles().catch(() => undefined); // retried at the next interval
    }, TEMP_SWEEP_INTERVAL_MS).unref();
  }

  close(): Promise<void> {
    clearInterval(this.tempSweep);
    return Promise.resolve();
  }

  /** The absolute path of `key`. Throws `InvalidStorageKeyError` for keys that could escape. */
  pathFor(key: string): string {
    assertValidKey(key);
    const path = resolve(this.root, ...key.split('/'));
    const rel = relative(this.root, path);
    // Defence in depth: the key rules already exclude every way out of the root.
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new InvalidStorageKeyError(key, 'resolves outside the storage root');
    }
    return path;
  }

  async put(key: string, source: StorageSource, options: PutOptions = {}): Promise<PutResult> {
    let target: string;
    let meter: MeteringStream;
    try {
      target = this.pathFor(key);
      meter = new MeteringStream(options.maxBytes);
    } catch (err) {
      discardSource(source);
      throw err;
    }
    const temp = join(this.tempDir, `${randomUUID()}.part`);
    try {
      await mkdir(this.tempDir, { recursive: true });
      await pipeline(source, meter, createWriteStream(temp, { flags: 'wx' }));
      await this.moveIntoPlace(temp, target);
    } catch (err) {
      discardSource(source);
      await rm(temp, { force: true });
      throw err;
    }
    return { key, size: meter.bytesSeen, sha256: meter.sha256() };
  }

  async putBuffer(key: string, data: Uint8Array | string): Promise<PutResult> {
    const target = this.pathFor(key);
    const bytes = toBuffer(data);
    const temp = join(this.tempDir, `${randomUUID()}.part`);
    try {
      await mkdir(this.tempDir, { recursive: true });
      await writeFile(temp, bytes, { flag: 'wx' });
      await this.moveIntoPlace(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    return { key, size: bytes.length, sha256: sha256Hex(bytes) };
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathFor(key);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw this.notFoundOr(err, key);
    }
    try {
      if (!(await handle.stat()).isFile()) throw new StorageObjectNotFoundError(key);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return handle.createReadStream();
  }

  async getBuffer(key: string): Promise<Buffer> {
    return readToBuffer(await this.get(key));
  }

  async copyToLocalFile(key: string, localPath: string): Promise<void> {
    const path = await this.existingFile(key);
    await copyFile(path, localPath);
  }

  /** No stat first (it cost a worker more than a trivial extraction): a missing file makes `fn`
   *  fail, and only then is the object looked for, so the caller still gets STORAGE_NOT_FOUND. */
  async withLocalFile<T>(key: string, fn: (localPath: string) => Promise<T>): Promise<T> {
    try {
      return await fn(this.pathFor(key));
    } catch (err) {
      if (!(await this.exists(key))) throw new StorageObjectNotFoundError(key);
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    const path = this.pathFor(key);
    try {
      return (await stat(path)).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async stat(key: string): Promise<ObjectStat> {
    const path = this.pathFor(key);
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new StorageObjectNotFoundError(key);
      return { size: info.size, lastModified: info.mtime };
    } catch (err) {
      throw this.notFoundOr(err, key);
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathFor(key);
    try {
      await unlink(path);
    } catch (err) {
      // Gone already, or a "folder" rather than an object: either way there is no such object.
      if (isMissing(err) || errorCode(err) === 'EISDIR') return;
      throw err;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    const dir = this.pathFor(prefix);
    let entries;
    try {
      entries = await readdir(dir, { recursive: true, withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return 0;
      throw err;
    }
    const files = entries.filter((entry) => entry.isFile()).length;
    await rm(dir, { recursive: true, force: true });
    return files;
  }

  async healthCheck(): Promise<void> {
    try {
      await access(this.root, fsConstants.R_OK | fsConstants.W_OK);
    } catch (err) {
      throw new StorageUnavailableError(`Storage folder ${this.root} is not writable`, {
        cause: err,
      });
    }
  }

  urlFor(key: string): string {
    return LOCAL_URL_PREFIX + assertValidKey(key);
  }

  keyFromUrl(url: string): string {
    return keyFromStorageUrl(url, LOCAL_URL_PREFIX);
  }

  private async existingFile(key: string): Promise<string> {
    const path = this.pathFor(key);
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      throw this.notFoundOr(err, key);
    }
    if (!info.isFile()) throw new StorageObjectNotFoundError(key);
    return path;
  }

  /** Renames the finished temp file to its key; retries once if a concurrent delete took the folder. */
  private async moveIntoPlace(temp: string, target: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await mkdir(dirname(target), { recursive: true });
      try {
        await rename(temp, target);
        return;
      } catch (err) {
        if (attempt >= 2 || !isMissing(err)) throw err;
      }
    }
  }

  private async sweepStaleTempFiles(): Promise<void> {
    const cutoff = Date.now() - STALE_TEMP_MS;
    for (const name of await readdir(this.tempDir)) {
      const path = join(this.tempDir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await rm(path, { recursive: true, force: true });
    }
  }

  private notFoundOr(err: unknown, key: string): unknown {
    return isMissing(err) ? new StorageObjectNotFoundError(key) : err;
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/** ENOENT, or ENOTDIR when a path segment is a file. */
function isMissing(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}
