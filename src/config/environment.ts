/**
 * The environment variables the service reads, validated once at start-up. Anything invalid stops
 * the process with a list of what is wrong. Defaults work on a developer machine.
 */
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { availableParallelism } from 'node:os';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL } from './defaults';

export const ROLES = ['api', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

const toNumber = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : value === true || value === 'true' || value === '1';

export const LOG_LEVELS = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(ROLES)
  ROLE: Role = 'all';

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  DATABASE_URL = DEFAULT_DATABASE_URL;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @IsString()
  REDIS_URL = DEFAULT_REDIS_URL;

  /** Every Redis key of the queue starts with this (tests use their own). */
  @IsString()
  @MinLength(1)
  QUEUE_PREFIX = 'extraction';

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(64)
  WORKER_CONCURRENCY = availableParallelism();

  /** Threads in the extractor pool (default: the worker concurrency). */
  @Transform(toNumber)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  EXTRACTOR_THREADS?: number;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  EXTRACTION_TIMEOUT_SECONDS = 600;

  /** Heap limit of each extractor thread (V8 old generation). */
  @Transform(toNumber)
  @IsInt()
  @Min(64)
  EXTRACTOR_MEMORY_MB = 1536;

  /**
   * The most memory (RSS) a process running extractors may use: threads are fewer when
   * 256 + EXTRACTOR_THREADS × (EXTRACTOR_MEMORY_MB + 256) would exceed it, and no file starts while
   * the process is over it (src/config/worker-memory.ts). Default: all threads at their heap
   * limit, at most ¾ of the machine's (or cgroup's) memory.
   */
  @Transform(toNumber)
  @IsOptional()
  @IsInt()
  @Min(384)
  WORKER_MEMORY_BUDGET_MB?: number;

  /**
   * A thread holding more than this (heap, buffers and WASM memory) after a file is terminated and
   * replaced, so a spike's memory goes back at once (default 512; a warm thread holds ~150–350).
   */
  @Transform(toNumber)
  @IsOptional()
  @IsInt()
  @Min(16)
  EXTRACTOR_RECYCLE_MB?: number;

  /** Test hook: module whose extractors replace the real ones in the threads (not in production). */
  @IsOptional()
  @IsString()
  EXTRACTOR_OVERRIDES?: string;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  PROGRESS_INTERVAL_MS = 1000;

  @Transform(toNumber)
  @IsInt()
  @Min(2)
  LEASE_SECONDS = 120;

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(100)
  MAX_RETRIES = 3;

  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  RETRY_BASE_SECONDS = 60;

  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  RETRY_CAP_SECONDS = 3600;

  /** Relative jitter: the delay is multiplied by a random factor in [1 - j, 1 + j]. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  RETRY_JITTER = 0.2;

  @Transform(toNumber)
  @IsNumber()
  @Min(0.05)
  SWEEP_INTERVAL_SECONDS = 60;

  /** Jobs per sweep statement; a sweep repeats full batches until its backlog is drained. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  SWEEP_BATCH_SIZE = 100;

  /**
   * How often a worker checks that the queue is reachable and still holds its data (a marker
   * key). After an outage, a FLUSHALL or a restart without persistence, every pending job without
   * a message is enqueued at once instead of after RECONCILE_AFTER_SECONDS.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(50)
  QUEUE_WATCH_INTERVAL_MS = 1000;

  /** A pending job older than this with no queue message is enqueued again. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  RECONCILE_AFTER_SECONDS = 120;

  /** Admin "stuck" listing default (minutes in processing). */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  STUCK_TIMEOUT_MINUTES = 30;

  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  RETENTION_DAYS = 30;

  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  SHUTDOWN_GRACE_SECONDS = 30;

  @IsIn(['local', 's3'])
  STORAGE_DRIVER: 'local' | 's3' = 'local';

  @IsString()
  STORAGE_LOCAL_DIR = '.data/storage';

  @IsOptional()
  @IsString()
  S3_BUCKET?: string;

  @IsString()
  S3_REGION = 'us-east-1';

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  S3_ENDPOINT?: string;

  @Transform(toBool)
  @IsBoolean()
  S3_FORCE_PATH_STYLE = false;

  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  @Transform(toBool)
  @IsBoolean()
  S3_CREATE_BUCKET = false;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

  /** Per-format synchronous routes accept files up to this size; larger ones go through /jobs. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  SYNC_MAX_BYTES = 10 * 1024 * 1024;

  /** Results larger than this (JSON bytes) are stored in storage, not inline. */
  @Transform(toNumber)
  @IsInt()
  @Min(1024)
  INLINE_RESULT_MAX_BYTES = 256 * 1024;

  @IsOptional()
  @IsString()
  @MinLength(16)
  JWT_SECRET?: string;

  /** Longest accepted token lifetime (`exp` − `iat`); tokens without `exp` are refused. */
  @Transform(toNumber)
  @IsInt()
  @Min(60)
  JWT_MAX_LIFETIME_SECONDS = 7 * 24 * 3600;

  @IsIn(['json', 'text'])
  @IsOptional()
  LOG_FORMAT?: 'json' | 'text';

  /** The least severe level written (`log`, alias `info`: one line per finished file). */
  @IsIn([...LOG_LEVELS, 'info'])
  LOG_LEVEL: LogLevelSetting | 'info' = 'log';

  @IsOptional()
  @IsString()
  WERK24_API_KEY?: string;

  @IsOptional()
  @IsString()
  WERK24_BASE_URL?: string;

  // --- fair scheduling (docs/decisions.md, "Fair scheduling")

  /** A bulk with at most this many files is interactive: its files go with single jobs. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  BULK_INTERACTIVE_MAX_FILES = 10;

  /**
   * Files of larger bulks one owner may have in the queue or running at once (the window).
   * Default: 4 × WORKER_CONCURRENCY, enough to keep that many workers busy with one owner.
   */
  @Transform(toNumber)
  @IsOptional()
  @IsInt()
  @Min(1)
  BULK_WINDOW_PER_OWNER?: number;

  /** How often every worker refills the windows (also after each settled bulk file). */
  @Transform(toNumber)
  @IsInt()
  @Min(50)
  BULK_RELEASE_INTERVAL_MS = 1000;

  /** Files in one bulk request. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(100_000)
  BULK_MAX_FILES = 500;

  /** Files (single jobs and bulk files) one owner may have pending, retrying or running. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  OWNER_MAX_ACTIVE_FILES = 5000;

  /** Retry-After of a 429 QUOTA_EXCEEDED. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  QUOTA_RETRY_AFTER_SECONDS = 30;

  /** Owners named in the active-files gauge; the rest are summed under owner="_other". */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(50)
  METRICS_TOP_OWNERS = 5;
  /** Open Server-Sent Event streams per user and API process; more answer 429 TOO_MANY_STREAMS. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  SSE_MAX_STREAMS_PER_USER = 20;

  /** How often the API reads the jobs watched by event streams (one statement for all of them). */
  @Transform(toNumber)
  @IsInt()
  @Min(50)
  SSE_POLL_INTERVAL_MS = 1000;

  /** Synchronous-route files waiting for an extractor thread; more answer 503 (default 2 × threads). */
  @Transform(toNumber)
  @IsOptional()
  @IsInt()
  @Min(0)
  SYNC_MAX_QUEUED?: number;

  // ------------------------------------------------------------ job events and webhooks

  /** Whether this process relays the outbox and runs deliveries (the outbox is always written). */
  @Transform(toBool)
  @IsBoolean()
  EVENTS_ENABLED = true;

  /** How often the relay and the delivery runner look for work when idle. */
  @Transform(toNumber)
  @IsInt()
  @Min(10)
  EVENTS_POLL_MS = 200;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  EVENTS_BATCH_SIZE = 200;

  /** Sent events (and their delivery log) older than this are deleted. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  EVENT_RETENTION_DAYS = 7;

  /** First retry delay of a delivery (in-process handler or webhook); doubles per attempt. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  EVENT_RETRY_BASE_SECONDS = 5;

  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  EVENT_RETRY_CAP_SECONDS = 3 * 3600;

  /** A delivery is retried until this long after its event, then marked failed. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  EVENT_RETRY_WINDOW_SECONDS = 24 * 3600;

  @Transform(toNumber)
  @IsInt()
  @Min(100)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Allow `http:` webhook URLs (development only). */
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_HTTP = false;

  /** Comma-separated addresses or CIDR ranges webhooks may reach although private/loopback. */
  @IsString()
  WEBHOOK_ALLOWED_ADDRESSES = '';

  /** Deliveries in flight to one host at once, per process. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  WEBHOOK_HOST_CONCURRENCY = 4;

  /**
   * Path of a CommonJS module whose `register(events)` is called at start with ExtractionEvents,
   * to add in-process handlers without code (benchmarks, small deployments).
   */
  @IsOptional()
  @IsString()
  EVENT_SUBSCRIBER_MODULE?: string;

  /** A subscription whose deliveries failed without a success for this long is disabled. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  WEBHOOK_DISABLE_AFTER_SECONDS = 3 * 24 * 3600;
  /** Where imports write rows: the built-in PostgreSQL tables, or nowhere (import routes 501). */
  @IsIn(['builtin', 'none'])
  TABLES_DRIVER: 'builtin' | 'none' = 'builtin';

  /** An import of more rows than this answers 202 and runs on a worker (GET /imports/{id}). */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  IMPORT_ASYNC_ROWS = 5000;
  /**
   * Result reuse scope: a completed result of the same bytes, format, extractor version and options
   * is reused within the owner (`owner`, default), across owners (`global`: leaks by timing that
   * someone else uploaded the file, see docs/decisions.md) or never (`off`).
   */
  @IsIn(['owner', 'global', 'off'])
  RESULT_REUSE: 'owner' | 'global' | 'off' = 'owner';
}

/** The development JWT secret; refused in production. */
export const DEV_JWT_SECRET = 'development-secret-change-me';

export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  const problems = errors.flatMap((e) => Object.values(e.constraints ?? {}));
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    problems.push('JWT_SECRET must be set in production (at least 16 characters)');
  }
  if (env.NODE_ENV === 'production' && env.EXTRACTOR_OVERRIDES) {
    problems.push('EXTRACTOR_OVERRIDES is a test hook and is refused in production');
  }
  if (env.STORAGE_DRIVER === 's3' && !env.S3_BUCKET) {
    problems.push('S3_BUCKET must be set when STORAGE_DRIVER=s3');
  }
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return env;
}
