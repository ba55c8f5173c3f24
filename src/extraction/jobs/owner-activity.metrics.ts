/**
 * Feeds the active-files-per-owner gauge of MetricsService from PostgreSQL at scrape time: the
 * METRICS_TOP_OWNERS owners with most active files by name, the rest as `_other`. Named owners
 * rather than hashed buckets: an operator wants to see who fills the service, and the top-N keeps
 * the label set bounded (N + 1 series per scrape).
 */
import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';
import { OwnerUsageRepository } from '../persistence/owner-usage.repository';

@Injectable()
export class OwnerActivityMetrics implements OnModuleInit {
  constructor(
    private readonly usage: OwnerUsageRepository,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  onModuleInit(): void {
    if (!this.metrics) return;
    this.metrics.ownerActiveSource = () =>
      this.usage.topOwners(this.config.fairness.metricsTopOwners);
  }
}
