import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DependencyHealthIndicators, HEALTH_TIMEOUT_MS } from './dependency-health.indicators';

/** Liveness (the process answers) and readiness (database, Redis and storage answer in time). */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly dependencies: DependencyHealthIndicators,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get(['', 'ready'])
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: HEALTH_TIMEOUT_MS }),
      () => this.dependencies.redis(),
      () => this.dependencies.storage(),
    ]);
  }
}
