/**
 * Object keys: built by the server, never taken from a client. Two namespaces, neither of which an
 * owner id can name: `uploads/<owner>/<jobId>/<name>` (the owner's files) and
 * `results/<owner>/<jobId>/…` (large results, written by workers only). An owner's own storage
 * space is `uploads/<owner>/`, so a user whose id is `results` owns `uploads/results/`, nothing else.
 * Rules are documented in docs/storage.md; keep the two in step.
 */
import { createHash } from 'node:crypto';
import { InvalidStorageKeyError, StorageKeyOutsideError, preview } from './storage.errors';

export const MAX_FILENAME_LENGTH = 255;
/** S3's limit, in bytes. Keys are ASCII, so characters = bytes. */
export const MAX_KEY_LENGTH = 1024;
/** Extensions up to this length survive truncation; longer "extensions" are just text. */
const MAX_KEPT_EXTENSION_LENGTH = 32;
const FALLBACK_FILENAME = 'file';

/** One key segment: safe characters only, never starting with a dot (no `.`, `..`, hidden files). */
const KEY_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
/** Ids used verbatim as a key segment (UUIDs, numeric ids, slugs). */
const PLAIN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The stored name of a client's file: base name only (directories stripped, `/` and `\`), Unicode
 * folded to ASCII (NFKD, accents dropped: `Überblick` → `Uberblick`), anything but `[A-Za-z0-9_.-]`
 * replaced by `_` (one per character), leading dots removed, at most 255 characters with the
 * extension kept, `file` when nothing is left.
 */
export function sanitizeFilename(name: string): string {
  const folded = String(name ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
  // After folding: NFKD turns e.g. FULLWIDTH SOLIDUS into '/', so split only now.
  const base = folded.split(/[/\\]/).pop() ?? '';
  const safe = base.replace(/[^A-Za-z0-9_.-]/gu, '_').replace(/^\.+/, '');
  if (safe.length === 0) return FALLBACK_FILENAME;
  return truncateKeepingExtension(safe, MAX_FILENAME_LENGTH);
}

function truncateKeepingExtension(name: string, max: number): string {
  if (name.length <= max) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot) : '';
  if (extension.length > 1 && extension.length <= MAX_KEPT_EXTENSION_LENGTH) {
    return name.slice(0, max - extension.length) + extension;
  }
  return name.slice(0, max);
}

export interface ObjectKeyParts {
  /** The owner's id from the auth token. Unusual ids are hashed (see ownerSegment). */
  ownerId: string;
  /** The job's id (a UUID): must already be a plain id. */
  jobId: string;
  /** The client's original file name; sanitised here. */
  filename: string;
}

export const UPLOADS_NAMESPACE = 'uploads';
export const RESULTS_NAMESPACE = 'results';

/** `uploads/<owner>/<jobId>/<sanitised filename>`. */
export function buildObjectKey({ ownerId, jobId, filename }: ObjectKeyParts): string {
  return assertValidKey(
    `${ownerStoragePrefix(ownerId)}${plainJobId(jobId)}/${sanitizeFilename(filename)}`,
  );
}

/** `results/<owner>/<jobId>/result-<attempt>.json`: outside every owner's own space. */
export function resultObjectKey(ownerId: string, jobId: string, attempt: number): string {
  return assertValidKey(
    `${RESULTS_NAMESPACE}/${ownerSegment(ownerId)}/${plainJobId(jobId)}/result-${attempt}.json`,
  );
}

/** The prefix of the objects an owner may name in `POST /jobs` (`uploads/<owner>/`). */
export function ownerStoragePrefix(ownerId: string): string {
  return `${UPLOADS_NAMESPACE}/${ownerSegment(ownerId)}/`;
}

function plainJobId(jobId: string): string {
  if (!PLAIN_ID.test(jobId)) {
    throw new InvalidStorageKeyError(jobId, 'a job id must be 1-64 characters of [A-Za-z0-9_-]');
  }
  return jobId;
}

/**
 * Owner ids that are plain (`[A-Za-z0-9][A-Za-z0-9_-]{0,63}`) are used as they are. Anything else
 * (e-mail addresses, slashes, Unicode…) becomes `_` + 32 hex digits of its SHA-256: stable, safe,
 * and unable to collide with a plain id, which never starts with `_`.
 */
export function ownerSegment(ownerId: string): string {
  if (typeof ownerId !== 'string' || ownerId.length === 0) {
    throw new InvalidStorageKeyError(String(ownerId), 'an owner id is required');
  }
  if (PLAIN_ID.test(ownerId)) return ownerId;
  return `_${createHash('sha256').update(ownerId, 'utf8').digest('hex').slice(0, 32)}`;
}

/** Why `key` is not a valid object key, or `undefined` when it is. */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return 'not a string';
  if (key.length === 0) return 'empty';
  if (key.length > MAX_KEY_LENGTH) return `longer than ${MAX_KEY_LENGTH} characters`;
  if (key.includes('\0')) return 'contains a NUL byte';
  if (key.includes('\\')) return 'contains a backslash';
  if (key.startsWith('/')) return 'is absolute';
  for (const segment of key.split('/')) {
    if (segment.length === 0) return 'has an empty segment (`//` or a trailing `/`)';
    if (segment === '..' || segment === '.') return 'contains a `.` or `..` segment';
    if (segment.startsWith('.')) return 'has a segment starting with a dot';
    if (segment.length > MAX_FILENAME_LENGTH)
      return `has a segment longer than ${MAX_FILENAME_LENGTH}`;
    if (!KEY_SEGMENT.test(segment)) return 'contains characters other than [A-Za-z0-9._-/]';
  }
  return undefined;
}

/** Returns `key` when valid; throws `InvalidStorageKeyError` otherwise. */
export function assertValidKey(key: string): string {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new InvalidStorageKeyError(String(key), problem);
  return key;
}

/**
 * The key in `url` when `url` is exactly `prefix` + a valid key. No decoding and no URL
 * normalisation: `new URL()` would resolve `..` and could turn a hostile URL into a valid one.
 */
export function keyFromStorageUrl(url: unknown, prefix: string): string {
  if (typeof url !== 'string') throw new StorageKeyOutsideError('not a string');
  if (!url.startsWith(prefix)) {
    throw new StorageKeyOutsideError(`${preview(url)} does not start with ${preview(prefix)}`);
  }
  const key = url.slice(prefix.length);
  const problem = keyProblem(key);
  if (problem !== undefined) {
    throw new StorageKeyOutsideError(`the key in ${preview(url)} ${problem}`);
  }
  return key;
}
