/**
 * Typed, grouped view of the validated environment. Injected by class (`AppConfig`) wherever
 * settings are needed, so nothing reads process.env after start-up.
 */
import { totalmem } from 'node:os';
import { join, isAbsolute } from 'node:path';
import {
  DEV_JWT_SECRET,
  EnvironmentVariables,
  LOG_LEVELS,
  LogLevelSetting,
  Role,
  validateEnvironment,
} from './environment';
import { planWorkerMemory } from './worker-memory';

const projectRoot = join(
  __dirname,
  '..',
  '..',
  __dirname.includes(`${join('dist', 'src')}`) ? '..' : '',
);

export interface RetryPolicy {
  maxRetries: number;
  baseSeconds: number;
  capSeconds: number;
  jitter: number;
}

export class AppConfig {
  readonly env: EnvironmentVariables['NODE_ENV'];
  readonly role: Role;
  private readonly resultReuseScope: EnvironmentVariables['RESULT_REUSE'];
  readonly port: number;
  readonly database: { url: string; poolSize: number };
  readonly redis: { url: string; prefix: string };
  readonly worker: {
    concurrency: number;
    /** Extractor threads, after fitting the memory budget (≤ EXTRACTOR_THREADS). */
    threads: number;
    /** EXTRACTOR_THREADS (or the concurrency) before the budget was applied. */
    configuredThreads: number;
    timeoutMs: number;
    /** Heap limit per thread. */
    memoryMb: number;
    /** WORKER_MEMORY_BUDGET_MB or its default: RSS the process should stay within. */
    memoryBudgetMb: number;
    /** A thread holding more than this after a file is recycled (EXTRACTOR_RECYCLE_MB). */
    recycleMb: number;
    progressIntervalMs: number;
    leaseSeconds: number;
    shutdownGraceMs: number;
    extractorOverrides?: string;
  };
  readonly retry: RetryPolicy;
  readonly sweep: {
    intervalMs: number;
    batchSize: number;
    reconcileAfterSeconds: number;
    queueWatchIntervalMs: number;
    stuckTimeoutMinutes: number;
    retentionDays: number;
  };
  readonly storage: {
    driver: 'local' | 's3';
    localRoot: string;
    s3: {
      bucket: string;
      region: string;
      endpoint?: string;
      forcePathStyle: boolean;
      accessKeyId?: string;
      secretAccessKey?: string;
      createBucket: boolean;
    };
  };
  readonly http: { maxUploadBytes: number; syncMaxBytes: number; inlineResultMaxBytes: number };
  readonly auth: { jwtSecret: string; maxTokenLifetimeSeconds: number };
  /** Fair scheduling and per-owner limits (issue 13). */
  readonly fairness: {
    interactiveMaxFiles: number;
    windowPerOwner: number;
    releaseIntervalMs: number;
    bulkMaxFiles: number;
    ownerMaxActiveFiles: number;
    quotaRetryAfterSeconds: number;
    metricsTopOwners: number;
  };
  readonly events: { maxStreamsPerUser: number; pollIntervalMs: number };
  /** Synchronous routes: files admitted at once beyond the threads (waiting for one). */
  readonly sync: { maxQueued: number };
  readonly logFormat: 'json' | 'text';
  /** Levels written, from LOG_LEVEL up. */
  readonly logLevels: LogLevelSetting[];
  /** Job events: outbox relay, deliveries, webhooks (issue 15). */
  readonly jobEvents: {
    enabled: boolean;
    pollMs: number;
    batchSize: number;
    retentionDays: number;
    retryBaseSeconds: number;
    retryCapSeconds: number;
    retryWindowSeconds: number;
    webhookTimeoutMs: number;
    allowHttp: boolean;
    allowedAddresses: string[];
    hostConcurrency: number;
    disableAfterSeconds: number;
    subscriberModule?: string;
  };
  /** Where imports write rows (TABLES_DRIVER). */
  readonly tables: { driver: 'builtin' | 'none' };
  /** Imports above this many rows run on a worker (IMPORT_ASYNC_ROWS). */
  readonly imports: { asyncRows: number };

  constructor(env: EnvironmentVariables) {
    this.env = env.NODE_ENV;
    this.role = env.ROLE;
    this.port = env.PORT;
    this.database = { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE };
    this.redis = { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX };
    const configuredThreads = env.EXTRACTOR_THREADS ?? env.WORKER_CONCURRENCY;
    const memory = planWorkerMemory({
      threads: configuredThreads,
      memoryMb: env.EXTRACTOR_MEMORY_MB,
      budgetMb: env.WORKER_MEMORY_BUDGET_MB,
      recycleMb: env.EXTRACTOR_RECYCLE_MB,
      machineMb: machineMemoryMb(),
    });
    this.worker = {
      concurrency: env.WORKER_CONCURRENCY,
      threads: memory.threads,
      configuredThreads,
      timeoutMs: env.EXTRACTION_TIMEOUT_SECONDS * 1000,
      memoryMb: memory.memoryMb,
      memoryBudgetMb: memory.budgetMb,
      recycleMb: memory.recycleMb,
      progressIntervalMs: env.PROGRESS_INTERVAL_MS,
      leaseSeconds: env.LEASE_SECONDS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_SECONDS * 1000,
      extractorOverrides: env.EXTRACTOR_OVERRIDES,
    };
    this.retry = {
      maxRetries: env.MAX_RETRIES,
      baseSeconds: env.RETRY_BASE_SECONDS,
      capSeconds: env.RETRY_CAP_SECONDS,
      jitter: env.RETRY_JITTER,
    };
    this.sweep = {
      intervalMs: env.SWEEP_INTERVAL_SECONDS * 1000,
      batchSize: env.SWEEP_BATCH_SIZE,
      reconcileAfterSeconds: env.RECONCILE_AFTER_SECONDS,
      queueWatchIntervalMs: env.QUEUE_WATCH_INTERVAL_MS,
      stuckTimeoutMinutes: env.STUCK_TIMEOUT_MINUTES,
      retentionDays: env.RETENTION_DAYS,
    };
    this.storage = {
      driver: env.STORAGE_DRIVER,
      localRoot: isAbsolute(env.STORAGE_LOCAL_DIR)
        ? env.STORAGE_LOCAL_DIR
        : join(projectRoot, env.STORAGE_LOCAL_DIR),
      s3: {
        bucket: env.S3_BUCKET ?? '',
        region: env.S3_REGION,
        endpoint: env.S3_ENDPOINT,
        forcePathStyle: env.S3_FORCE_PATH_STYLE,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        createBucket: env.S3_CREATE_BUCKET,
      },
    };
    this.http = {
      maxUploadBytes: env.MAX_UPLOAD_BYTES,
      syncMaxBytes: env.SYNC_MAX_BYTES,
      inlineResultMaxBytes: env.INLINE_RESULT_MAX_BYTES,
    };
    this.auth = {
      jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
      maxTokenLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS,
    };
    this.fairness = {
      interactiveMaxFiles: env.BULK_INTERACTIVE_MAX_FILES,
      windowPerOwner: env.BULK_WINDOW_PER_OWNER ?? 4 * env.WORKER_CONCURRENCY,
      releaseIntervalMs: env.BULK_RELEASE_INTERVAL_MS,
      bulkMaxFiles: env.BULK_MAX_FILES,
      ownerMaxActiveFiles: env.OWNER_MAX_ACTIVE_FILES,
      quotaRetryAfterSeconds: env.QUOTA_RETRY_AFTER_SECONDS,
      metricsTopOwners: env.METRICS_TOP_OWNERS,
    };
    this.events = {
      maxStreamsPerUser: env.SSE_MAX_STREAMS_PER_USER,
      pollIntervalMs: env.SSE_POLL_INTERVAL_MS,
    };
    this.sync = { maxQueued: env.SYNC_MAX_QUEUED ?? 2 * this.worker.threads };
    this.resultReuseScope = env.RESULT_REUSE;
    this.logFormat = env.LOG_FORMAT ?? (env.NODE_ENV === 'production' ? 'json' : 'text');
    this.logLevels = LOG_LEVELS.slice(
      LOG_LEVELS.indexOf(env.LOG_LEVEL === 'info' ? 'log' : env.LOG_LEVEL),
    );
    this.jobEvents = {
      enabled: env.EVENTS_ENABLED,
      pollMs: env.EVENTS_POLL_MS,
      batchSize: env.EVENTS_BATCH_SIZE,
      retentionDays: env.EVENT_RETENTION_DAYS,
      retryBaseSeconds: env.EVENT_RETRY_BASE_SECONDS,
      retryCapSeconds: env.EVENT_RETRY_CAP_SECONDS,
      retryWindowSeconds: env.EVENT_RETRY_WINDOW_SECONDS,
      webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
      allowHttp: env.WEBHOOK_ALLOW_HTTP,
      allowedAddresses: env.WEBHOOK_ALLOWED_ADDRESSES.split(',')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
      hostConcurrency: env.WEBHOOK_HOST_CONCURRENCY,
      disableAfterSeconds: env.WEBHOOK_DISABLE_AFTER_SECONDS,
      subscriberModule: env.EVENT_SUBSCRIBER_MODULE,
    };
    this.tables = { driver: env.TABLES_DRIVER };
    this.imports = { asyncRows: env.IMPORT_ASYNC_ROWS };
  }

  /** Validates raw variables (process.env plus overrides in tests) into a typed config. */
  static fromEnvironment(
    raw: Record<string, unknown>,
    overrides: Record<string, unknown> = {},
  ): AppConfig {
    return new AppConfig(validateEnvironment({ ...raw, ...overrides }));
  }

  /** Result reuse scope (RESULT_REUSE): owner, global or off. */
  get resultReuse(): EnvironmentVariables['RESULT_REUSE'] {
    return this.resultReuseScope;
  }

  get runsApi(): boolean {
    return this.role === 'api' || this.role === 'all';
  }

  get runsWorker(): boolean {
    return this.role === 'worker' || this.role === 'all';
  }
}

/** Memory the process may have: the cgroup's limit when there is one, else the machine's. */
function machineMemoryMb(): number {
  const total = totalmem();
  const constrained = process.constrainedMemory();
  const bytes = constrained > 0 && constrained < total ? constrained : total;
  return Math.floor(bytes / (1024 * 1024));
}
