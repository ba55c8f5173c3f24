import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';
import { validateEnvironment } from './environment';

/**
 * Loads `.env` (if any) into the environment, validates it at start-up (@nestjs/config fails the
 * boot with the list of problems) and provides the typed AppConfig everywhere.
 */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ validate: validateEnvironment, cache: true })],
  providers: [{ provide: AppConfig, useFactory: () => AppConfig.fromEnvironment(process.env) }],
  exports: [AppConfig],
})
export class AppConfigModule {}
