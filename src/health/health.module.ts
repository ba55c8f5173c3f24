import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { QueueModule } from '../queue/queue.module';
import { DependencyHealthIndicators } from './dependency-health.indicators';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule, QueueModule],
  controllers: [HealthController],
  providers: [DependencyHealthIndicators],
})
export class HealthModule {}
