/**
 * Webhook delivery throughput and latency (issue 15): a bulk of N tiny files through the whole
 * pipeline (one worker process) with a subscription to a receiver on loopback that answers 200.
 * Prints deliveries per second and the time from each state change (the event's occurred_at) to
 * the receiver's 2xx: p50, p99, max. Target: p99 < 1 s.
 *   npx ts-node --transpile-only bench/webhooks.bench.ts [N]
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig } from '../src/config/app-config';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { WebhookSubscriptionsRepository } from '../src/events/webhook-subscriptions.repository';
import { newWebhookSecret } from '../src/events/webhook-signature';
import { ExtractionJobService } from '../src/extraction/jobs/extraction-job.service';
import { STORAGE_DRIVER, StorageDriver } from '../src/storage';
import { startServiceProcess } from '../test/support/worker-process';
import { createScratchDatabase } from './support/scratch-database';

const N = Number(process.argv[2] ?? 2000);
const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function main(): Promise<void> {
  const database = await createScratchDatabase(ADMIN_URL, 'bench');
  try {
    await benchmark(database.url);
  } finally {
    await database.drop();
  }
}

async function benchmark(databaseUrl: string): Promise<void> {
  const ds = new DataSource(buildDataSourceOptions(databaseUrl, { poolSize: 2 }));
  await ds.initialize();
  await ds.runMigrations();

  const arrivals = new Map<string, { at: number; occurredAt: number; type: string }>();
  let messages = 0;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      messages += 1;
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        id: string;
        type: string;
        occurred_at: string;
      };
      res.end('ok');
      if (!arrivals.has(event.id))
        arrivals.set(event.id, {
          at: Date.now(),
          occurredAt: Date.parse(event.occurred_at),
          type: event.type,
        });
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;

  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
    STORAGE_LOCAL_DIR: mkdtempSync(join(tmpdir(), 'bench-storage-')),
    EXTRACTOR_OVERRIDES: join(__dirname, '..', 'test', 'support', 'test-extractors.js'),
    WORKER_CONCURRENCY: '64',
    EXTRACTOR_THREADS: '2',
    // Not 'production': the test extractors (EXTRACTOR_OVERRIDES) are refused there.
    // Every file here has the same bytes: reuse (issue 16) would skip the extractions measured.
    RESULT_REUSE: 'off',
    NODE_ENV: 'test',
    JWT_SECRET: randomBytes(24).toString('hex'),
    LOG_FORMAT: 'json',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1',
    WEBHOOK_HOST_CONCURRENCY: process.env.WEBHOOK_HOST_CONCURRENCY ?? '16',
  };
  const config = AppConfig.fromEnvironment({}, { ...env, ROLE: 'api' });
  const api = await NestFactory.createApplicationContext(AppModule.register(config), {
    logger: ['error'],
  });
  const jobs = api.get(ExtractionJobService);
  const storage = api.get<StorageDriver>(STORAGE_DRIVER);
  const worker = await startServiceProcess({ ...env, ROLE: 'worker' });
  try {
    await new WebhookSubscriptionsRepository(ds).insert(
      'bench',
      `http://127.0.0.1:${port}/hook`,
      ['job.completed', 'bulk.completed'],
      newWebhookSecret(),
      new Date(),
    );
    const fileUrl = storage.urlFor((await storage.putBuffer('bench/tiny.dxf', 'ok')).key);
    const files = Array.from({ length: N }, (_, i) => ({
      format: 'dxf' as const,
      filename: `f${i}.dxf`,
      fileUrl,
      fileSize: 2,
    }));
    const started = Date.now();
    await jobs.createBulk({ ownerId: 'bench', files });
    const deadline = started + 600_000;
    while (arrivals.size < N + 1) {
      if (Date.now() > deadline) throw new Error(`only ${arrivals.size} of ${N + 1} delivered`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (Date.now() - started) / 1000;
    const list = [...arrivals.values()];
    const first = Math.min(...list.map((a) => a.at));
    const last = Math.max(...list.map((a) => a.at));
    const latencies = list.map((a) => a.at - a.occurredAt).sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    console.log(
      `webhooks bench: N=${N} files (+1 bulk event), one worker process, receiver answering 200`,
    );
    console.log(
      `  events delivered:                 ${arrivals.size} (messages received ${messages})`,
    );
    console.log(`  wall time bulk create → last 2xx: ${seconds.toFixed(2)} s`);
    console.log(
      `  deliveries per second:            ${(arrivals.size / ((last - first) / 1000)).toFixed(0)} (first to last delivery)`,
    );
    console.log(
      `  state change → 2xx:               p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${latencies[latencies.length - 1]} ms  (target p99 < 1000 ms)`,
    );
  } finally {
    await worker.stop('SIGTERM');
    await api.close();
    await ds.destroy();
    receiver.closeAllConnections();
    receiver.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
