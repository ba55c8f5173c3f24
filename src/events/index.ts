/** The public surface of job events: subscribe in-process, or verify webhooks as a receiver. */
export { EventsModule } from './events.module';
export { ExtractionEvents } from './extraction-events';
export type { ExtractionEventHandler, ExtractionEventOf } from './extraction-events';
export { EVENT_TYPES } from './event-types';
export type { BulkCounters, ExtractionEvent, ExtractionEventType } from './event-types';
export { verifyWebhook, WebhookVerificationError } from './webhook-signature';
