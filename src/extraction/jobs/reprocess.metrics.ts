/**
 * Feeds the reprocess progress gauge of MetricsService (`extraction_reprocess_jobs{state}`) from
 * PostgreSQL at scrape time: a reprocess spans processes (API requests it, workers run it), so
 * the rows are the only place that knows how far it got.
 */
import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { MetricsService } from '../../metrics/metrics.service';
import { ResultReuseRepository } from '../persistence/result-reuse.repository';

@Injectable()
export class ReprocessMetrics implements OnModuleInit {
  constructor(
    private readonly reuse: ResultReuseRepository,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  onModuleInit(): void {
    if (!this.metrics) return;
    this.metrics.reprocessSource = () => this.reuse.reprocessCounts();
  }
}
