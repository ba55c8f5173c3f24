/**
 * Loads EVENT_SUBSCRIBER_MODULE, when set, and lets it register handlers: a CommonJS module
 * exporting `register(events: ExtractionEvents)`. Runs before the relay starts.
 */
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { isAbsolute, resolve } from 'node:path';
import { AppConfig } from '../config/app-config';
import { ExtractionEvents } from './extraction-events';

@Injectable()
export class EventSubscriberModuleLoader implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly events: ExtractionEvents,
  ) {}

  onModuleInit(): void {
    const path = this.config.jobEvents.subscriberModule;
    if (!path) return;
    const file = isAbsolute(path) ? path : resolve(process.cwd(), path);
    const loaded = require(file) as { register?: (events: ExtractionEvents) => void };
    if (typeof loaded.register !== 'function')
      throw new Error(`EVENT_SUBSCRIBER_MODULE ${file} exports no register(events) function`);
    loaded.register(this.events);
    new Logger(EventSubscriberModuleLoader.name).log(
      `event handlers registered by ${file}: ${this.events.names().join(', ')}`,
    );
  }
}
