import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

/**
 * Provides the typed AppConfig everywhere. main.ts reads `.env` (process.loadEnvFile), validates
 * the environment once (AppConfig.fromEnvironment), composes the modules for the role and passes
 * the same config here; tests pass their own.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
