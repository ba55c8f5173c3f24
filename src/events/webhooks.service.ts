/**
 * Webhook subscriptions and job callbacks for the API: URLs checked against the SSRF policy when
 * they are given (and again at each delivery), secrets generated here and shown once, everything
 * scoped to its owner (another owner's subscription or delivery is not found).
 */
import { Injectable } from '@nestjs/common';
import { Clock, SystemClock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DeliveryLogEntry, EventOutboxRepository } from './event-outbox.repository';
import { DEFAULT_EVENT_TYPES } from './event-types';
import { WebhookAddressPolicy } from './webhook-address-policy';
import {
  CallbackSecretMissingError,
  TooManyWebhooksError,
  WebhookNotFoundError,
} from './webhook-errors';
import { newWebhookSecret } from './webhook-signature';
import {
  WebhookSubscription,
  WebhookSubscriptionsRepository,
} from './webhook-subscriptions.repository';

export const MAX_WEBHOOKS_PER_OWNER = 25;

@Injectable()
export class WebhooksService {
  private readonly clock: Clock = new SystemClock();

  constructor(
    private readonly subscriptions: WebhookSubscriptionsRepository,
    private readonly deliveries: EventOutboxRepository,
    private readonly policy: WebhookAddressPolicy,
    private readonly config: AppConfig,
  ) {}

  /** Checks a target URL now: scheme, and every address its host resolves to. */
  async checkUrl(raw: string): Promise<string> {
    const url = this.policy.parse(raw);
    await this.policy.check(url);
    return url.toString();
  }

  async create(
    ownerId: string,
    url: string,
    eventTypes: string[] | undefined,
  ): Promise<WebhookSubscription> {
    const checked = await this.checkUrl(url);
    if ((await this.subscriptions.countForOwner(ownerId)) >= MAX_WEBHOOKS_PER_OWNER)
      throw new TooManyWebhooksError(MAX_WEBHOOKS_PER_OWNER);
    // Without a list: every type but the optional ones (bulk.progress must be asked for).
    const types =
      eventTypes && eventTypes.length > 0 ? [...new Set(eventTypes)] : [...DEFAULT_EVENT_TYPES];
    return this.subscriptions.insert(ownerId, checked, types, newWebhookSecret(), this.clock.now());
  }

  list(ownerId: string): Promise<WebhookSubscription[]> {
    return this.subscriptions.list(ownerId);
  }

  async get(id: string, ownerId: string): Promise<WebhookSubscription> {
    const found = await this.subscriptions.find(id, ownerId);
    if (!found) throw new WebhookNotFoundError(id);
    return found;
  }

  async delete(id: string, ownerId: string): Promise<void> {
    if (!(await this.subscriptions.delete(id, ownerId))) throw new WebhookNotFoundError(id);
  }

  async rotateSecret(id: string, ownerId: string): Promise<WebhookSubscription> {
    const rotated = await this.subscriptions.rotateSecret(
      id,
      ownerId,
      newWebhookSecret(),
      this.clock.now(),
    );
    if (!rotated) throw new WebhookNotFoundError(id);
    return rotated;
  }

  async deliveriesOf(
    id: string,
    ownerId: string,
    page: number,
    pageSize: number,
  ): Promise<{ items: DeliveryLogEntry[]; total: number }> {
    await this.get(id, ownerId);
    return this.deliveries.listForWebhook(id, page, pageSize);
  }

  async redeliver(deliveryId: string, ownerId: string): Promise<DeliveryLogEntry> {
    const entry = await this.deliveries.redeliver(
      deliveryId,
      ownerId,
      this.clock.now(),
      this.config.jobEvents.retryWindowSeconds,
    );
    if (!entry) throw new WebhookNotFoundError(deliveryId, 'delivery');
    return entry;
  }

  /** A new callback signing secret for the owner (replaces the previous one), shown once. */
  async rotateCallbackSecret(ownerId: string): Promise<string> {
    const secret = newWebhookSecret();
    await this.subscriptions.putCallbackSecret(ownerId, secret, this.clock.now());
    return secret;
  }

  /**
   * Registers the callback of a job about to be created under `jobId` (before the job exists, so
   * none of its events can be relayed without it). Answers the checked URL.
   */
  async registerCallback(jobId: string, ownerId: string, url: string): Promise<void> {
    const checked = await this.checkUrl(url);
    if (!(await this.subscriptions.hasCallbackSecret(ownerId)))
      throw new CallbackSecretMissingError();
    await this.subscriptions.insertCallback(jobId, ownerId, checked, this.clock.now());
  }

  /** Removes a callback registered for a job that was not created after all. */
  async dropCallback(jobId: string): Promise<void> {
    await this.subscriptions.deleteCallback(jobId);
  }
}
