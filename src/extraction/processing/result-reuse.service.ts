/**
 * Result reuse in the worker: before an attempt extracts, it records the extractor version and
 * options digest it runs with and looks for a completed job with the same (content_sha256, format,
 * extractor_version, options_digest) in the configured scope (RESULT_REUSE: owner, global, off).
 * Found: the attempt completes from that result (small results copied, a stored one referenced,
 * not copied). Not found: it extracts while holding a lock on the key. A duplicate claimed while
 * the key is locked parks instead of waiting: its row goes back to `pending` naming the key, its
 * worker slot is free for other files, and the holder wakes it (enqueues it again) when its
 * extraction ends, so it then completes from the new result (or, after a failure, extracts). A
 * holder that dies wakes nobody: parked rows older than a lease are woken by a timer in every
 * worker. `options.force_reextract` skips the lookup (the version and digest are still recorded).
 */
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Clock } from '../../common/clock';
import { JobQueue } from '../jobs/job-queue';
import { StatementBatcher } from '../../common/statement-batcher';
import { AppConfig } from '../../config/app-config';
import { STORAGE_DRIVER, StorageDriver } from '../../storage';
import { resultObjectKey } from '../../storage/object-key';
import { ExtractionJob } from '../entities/extraction-job.entity';
import { ExtractionFormat } from '../entities/job-enums';
import { extractorVersion } from '../extractors/extractor-versions';
import { forcesReextract, optionsDigest } from '../extractors/options-digest';
import { JobRef } from '../jobs/job.types';
import {
  ResultReuseRepository,
  ReuseKey,
  ReuseSource,
} from '../persistence/result-reuse.repository';
import { ReuseLock } from './reuse-lock';

export interface ReusePlan {
  /** False when the attempt is no longer this worker's (cancelled, taken over). */
  attemptHeld: boolean;
  /** True when the attempt parked (an identical file is being extracted): nothing more to do. */
  parked?: boolean;
  /** The completed job to take the result from; null = extract. */
  source: ReuseSource | null;
  /** Ends the lock on the key (after completion or failure); a no-op when none is held. */
  release: () => Promise<void>;
}

const noop = (): Promise<void> => Promise.resolve();

@Injectable()
export class ResultReuseService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ResultReuseService.name);
  private readonly lock: ReuseLock | null;
  private wakeTimer?: NodeJS.Timeout;
  private readonly versionOverrides?: Partial<Record<ExtractionFormat, number>>;
  /** Attempts that extract without a lookup: recorded together, like claims and completions. */
  private readonly records = new StatementBatcher<
    { ref: JobRef; extractorVersion: number; optionsDigest: string },
    boolean
  >((requests) => this.reuse.recordAttempts(requests));

  constructor(
    private readonly reuse: ResultReuseRepository,
    private readonly config: AppConfig,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly queue: JobQueue,
    private readonly clock: Clock,
  ) {
    // A holder keeps a connection while it extracts; more holders than about twice the threads
    // would only wait in the thread pool, so that bounds the connections the locks may take.
    const holders = Math.min(config.worker.concurrency, Math.max(2, 2 * config.worker.threads)) + 1;
    this.lock = config.resultReuse === 'off' ? null : new ReuseLock(config.database.url, holders);
    // Test hook: a test extractor module may declare versions (a "version bump" in a test).
    if (config.worker.extractorOverrides) {
      const overrides = require(config.worker.extractorOverrides) as {
        versions?: Partial<Record<ExtractionFormat, number>>;
      };
      this.versionOverrides = overrides.versions;
    }
  }

  onApplicationBootstrap(): void {
    if (this.lock === null) return;
    // Parked duplicates of a holder that died: woken after a lease (the holder's lock is gone).
    const leaseMs = this.config.worker.leaseSeconds * 1000;
    this.wakeTimer = setInterval(() => {
      const before = new Date(this.clock.now().getTime() - leaseMs);
      this.reuse
        .wake(null, this.clock.now(), before)
        .then((refs) => this.queue.dispatch(refs))
        .catch((error) => this.logger.warn(`Waking parked duplicates failed: ${String(error)}`));
    }, leaseMs / 2);
    this.wakeTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.wakeTimer) clearInterval(this.wakeTimer);
    await this.lock?.close();
  }

  /** The version this worker runs for a format. */
  versionOf(format: ExtractionFormat): number {
    return extractorVersion(format, this.versionOverrides);
  }

  async begin(job: ExtractionJob, ref: JobRef): Promise<ReusePlan> {
    const format = job.format as ExtractionFormat;
    const version = this.versionOf(format);
    const digest = optionsDigest(format, job.options);
    const scope = this.config.resultReuse;
    if (this.lock === null || !job.contentSha256 || forcesReextract(job.options)) {
      const attemptHeld = await this.records.submit({
        ref,
        extractorVersion: version,
        optionsDigest: digest,
      });
      return { attemptHeld, source: null, release: noop };
    }
    const key: ReuseKey = {
      contentSha256: job.contentSha256,
      format,
      extractorVersion: version,
      optionsDigest: digest,
      ownerId: scope === 'owner' ? job.ownerId : null,
    };
    const filename = this.fileNameOf(job);
    // A result that is already there needs no lock: one statement and done.
    const found = await this.reuse.prepareAttempt(ref, version, digest, key, filename);
    if (!found.attemptHeld || found.source) return { ...found, release: noop };
    const lockKey = `reuse|${key.ownerId ?? '*'}|${key.contentSha256}|${format}|${version}|${digest}`;
    const unlock = await this.lock.tryAcquire(lockKey);
    if (!unlock) return this.park(ref, lockKey);
    // The holder's end: unlock, then wake whoever parked meanwhile (after the unlock, so a
    // duplicate parking now either sees the lock free on its second try or is woken here).
    const release = async () => {
      await unlock();
      await this.wake(lockKey);
    };
    try {
      const prepared = await this.reuse.prepareAttempt(ref, version, digest, key, filename);
      if (!prepared.attemptHeld || prepared.source) {
        await release();
        return { ...prepared, release: noop };
      }
      return { ...prepared, release };
    } catch (error) {
      await release();
      throw error;
    }
  }

  /**
   * Another worker extracts these bytes: the attempt waits as a parked `pending` row instead of
   * in a worker slot. Then one more try of the lock: a holder that finished between the first try
   * and the park has already woken the parked rows, so this one wakes them (itself included).
   */
  private async park(ref: JobRef, lockKey: string): Promise<ReusePlan> {
    const parked = await this.reuse.park(ref, lockKey, this.clock.now());
    if (!parked) return { attemptHeld: false, source: null, release: noop };
    const unlock = await this.lock!.tryAcquire(lockKey);
    if (unlock) {
      await unlock();
      await this.wake(lockKey);
    }
    return { attemptHeld: true, parked: true, source: null, release: noop };
  }

  /** Enqueues the duplicates parked on `lockKey` again; they then reuse (or extract). */
  private async wake(lockKey: string): Promise<void> {
    try {
      await this.queue.dispatch(await this.reuse.wake(lockKey, this.clock.now()));
    } catch (error) {
      // They stay parked; the timer wakes them after a lease.
      this.logger.warn(`Waking duplicates parked on ${lockKey} failed: ${String(error)}`);
    }
  }

  /** The name a fresh extraction of this job writes as `source_file`. */
  private fileNameOf(job: ExtractionJob): string {
    return job.filename ?? this.storage.keyFromUrl(job.fileUrl ?? '');
  }

  /**
   * The result this job gets from `source`, as a fresh extraction of this job would write it:
   * `source_file` is the job's own file name. An inline result is the lookup's JSON text (named
   * in SQL, passed on unparsed). A stored result is referenced when the name is the same (no
   * second copy); only a differently named duplicate needs its own copy.
   */
  async resultFrom(
    job: ExtractionJob,
    source: ReuseSource,
  ): Promise<{ inlineJson: string | null; resultPath: string | null }> {
    if (source.resultPath === null) return { inlineJson: source.resultJson, resultPath: null };
    const filename = this.fileNameOf(job);
    if (source.filename === job.filename)
      return { inlineJson: null, resultPath: source.resultPath };
    const stored = JSON.parse(
      (await this.storage.getBuffer(this.storage.keyFromUrl(source.resultPath))).toString('utf8'),
    ) as Record<string, unknown>;
    const key = resultObjectKey(job.ownerId, job.id, job.attempt);
    await this.storage.putBuffer(key, JSON.stringify(withSourceFile(stored, filename)), {
      contentType: 'application/json',
    });
    return { inlineJson: null, resultPath: this.storage.urlFor(key) };
  }
}

function withSourceFile(
  result: Record<string, unknown>,
  filename: string,
): Record<string, unknown> {
  return 'source_file' in result ? { ...result, source_file: filename } : { ...result };
}
