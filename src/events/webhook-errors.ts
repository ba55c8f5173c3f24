/** Domain errors of webhooks (stable codes; the API maps them to statuses). */
import { DomainError } from '../common/domain-error';

export { WebhookUrlRefusedError } from './webhook-address-policy';

/** Unknown, or another owner's: both are a 404, so ids of others leak nothing. */
export class WebhookNotFoundError extends DomainError {
  constructor(id: string, what: 'subscription' | 'delivery' = 'subscription') {
    super('WEBHOOK_NOT_FOUND', `Webhook ${what} ${id} not found`, { id });
  }
}

export class CallbackSecretMissingError extends DomainError {
  constructor() {
    super(
      'CALLBACK_SECRET_MISSING',
      'A callback_url needs a callback signing secret first: POST /api/v1/extraction/webhooks/callback-secret',
    );
  }
}

export class TooManyWebhooksError extends DomainError {
  constructor(limit: number) {
    super('TOO_MANY_WEBHOOKS', `At most ${limit} webhook subscriptions per user`, { limit });
  }
}
