/** Readiness indicators for Redis (the queue's connection) and storage, each with a timeout. */
import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bull';
import { withTimeout } from '../common/with-timeout';
import { EXTRACTION_QUEUE } from '../queue/extraction-queue.constants';
import { STORAGE_DRIVER, StorageDriver } from '../storage';

export const HEALTH_TIMEOUT_MS = 1500;

@Injectable()
export class DependencyHealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    @InjectQueue(EXTRACTION_QUEUE) private readonly queue: Queue,
    @Inject(STORAGE_DRIVER) private readonly storageDriver: StorageDriver,
  ) {}

  async redis() {
    const indicator = this.health.check('redis');
    try {
      await withTimeout(this.queue.client.ping(), HEALTH_TIMEOUT_MS, 'Redis');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: String((error as Error).message ?? error) });
    }
  }

  async storage() {
    const indicator = this.health.check('storage');
    try {
      await withTimeout(this.storageDriver.healthCheck(), HEALTH_TIMEOUT_MS, 'Storage');
      return indicator.up({ driver: this.storageDriver.kind });
    } catch (error) {
      return indicator.down({ message: String((error as Error).message ?? error) });
    }
  }
}
