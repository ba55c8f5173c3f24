/**
 * Job events (issue 15): the outbox relay and delivery runner, in-process subscribers
 * (`ExtractionEvents`, exported), webhook subscriptions and signing. Loaded in every role: the
 * API manages subscriptions; workers relay and deliver.
 */
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ExtractionModule } from '../extraction/extraction.module';
import { EventMetrics } from './event-metrics';
import { EventOutboxRepository } from './event-outbox.repository';
import { EventRelayService } from './event-relay.service';
import { EventSubscriberModuleLoader } from './event-subscriber-module';
import { ExtractionEvents } from './extraction-events';
import { WebhookAddressPolicy } from './webhook-address-policy';
import { WebhookSender } from './webhook-sender';
import { WebhookSubscriptionsRepository } from './webhook-subscriptions.repository';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [ExtractionModule],
  providers: [
    EventOutboxRepository,
    ExtractionEvents,
    EventMetrics,
    EventRelayService,
    EventSubscriberModuleLoader,
    WebhookSubscriptionsRepository,
    WebhooksService,
    {
      provide: WebhookAddressPolicy,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new WebhookAddressPolicy({
          allowHttp: config.jobEvents.allowHttp,
          allowedAddresses: config.jobEvents.allowedAddresses,
        }),
    },
    {
      provide: WebhookSender,
      inject: [WebhookAddressPolicy, AppConfig],
      useFactory: (policy: WebhookAddressPolicy, config: AppConfig) =>
        new WebhookSender(policy, {
          timeoutMs: config.jobEvents.webhookTimeoutMs,
          hostConcurrency: config.jobEvents.hostConcurrency,
        }),
    },
  ],
  exports: [ExtractionEvents, EventRelayService, WebhooksService],
})
export class EventsModule {}
