/** Webhook subscriptions of the caller, their delivery log, and the callback signing secret. */
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser } from '../../auth/auth-user';
import { CurrentUser } from '../../auth/current-user.decorator';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { DeliveryLogEntry } from '../../events/event-outbox.repository';
import { WebhookNotFoundError } from '../../events/webhook-errors';
import { WebhookSubscription } from '../../events/webhook-subscriptions.repository';
import { WebhooksService } from '../../events/webhooks.service';
import {
  CallbackSecretResponse,
  CreateWebhookDto,
  ListDeliveriesQuery,
  WebhookDeliveryListResponse,
  WebhookDeliveryResponse,
  WebhookListResponse,
  WebhookResponse,
  WebhookWithSecretResponse,
} from '../dto/webhook.dto';
import { ApiErrorResponses } from '../http/api-error-responses';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function webhookId(id: string, what: 'subscription' | 'delivery' = 'subscription'): string {
  if (!UUID.test(id)) throw new WebhookNotFoundError(id, what);
  return id.toLowerCase();
}

function toWebhook(s: WebhookSubscription): WebhookResponse {
  return {
    id: s.id,
    url: s.url,
    event_types: s.eventTypes,
    enabled: s.enabled,
    disabled_reason: s.disabledReason,
    failing_since: iso(s.failingSince),
    created_at: s.createdAt.toISOString(),
  };
}

function toDelivery(d: DeliveryLogEntry): WebhookDeliveryResponse {
  return {
    id: d.id,
    event_id: d.eventId,
    event_type: d.eventType,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    next_attempt_at: iso(d.nextAttemptAt),
    delivered_at: iso(d.deliveredAt),
    created_at: d.createdAt.toISOString(),
  };
}

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiErrorResponses(401, 500)
@UseGuards(JwtAuthGuard)
@Controller('api/v1/extraction/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a URL to job events; the signing secret is shown once' })
  @ApiCreatedResponse({ type: WebhookWithSecretResponse })
  @ApiErrorResponses(400)
  async create(
    @Body() body: CreateWebhookDto,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookWithSecretResponse> {
    const created = await this.webhooks.create(user.id, body.url, body.event_types);
    return { ...toWebhook(created), secret: created.secret };
  }

  @Get()
  @ApiOperation({ summary: 'Your subscriptions (without secrets)' })
  @ApiOkResponse({ type: WebhookListResponse })
  async list(@CurrentUser() user: AuthUser): Promise<WebhookListResponse> {
    return { items: (await this.webhooks.list(user.id)).map(toWebhook) };
  }

  @Post('callback-secret')
  @ApiOperation({
    summary: 'Create or replace the secret that signs callback_url deliveries; shown once',
  })
  @ApiCreatedResponse({ type: CallbackSecretResponse })
  async callbackSecret(@CurrentUser() user: AuthUser): Promise<CallbackSecretResponse> {
    return { secret: await this.webhooks.rotateCallbackSecret(user.id) };
  }

  @Post('deliveries/:id/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again (same event id), with a fresh retry window' })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse })
  @ApiErrorResponses(404)
  async redeliver(
    @Param('id') id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookDeliveryResponse> {
    return toDelivery(await this.webhooks.redeliver(webhookId(id, 'delivery'), user.id));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription, with why it was disabled if it was' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrorResponses(404)
  async get(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<WebhookResponse> {
    return toWebhook(await this.webhooks.get(webhookId(id), user.id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unsubscribe; pending deliveries are dropped' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(404)
  async delete(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<void> {
    await this.webhooks.delete(webhookId(id), user.id);
  }

  @Post(':id/rotate-secret')
  @ApiOperation({ summary: 'A new signing secret, shown once; the old one stops at once' })
  @ApiCreatedResponse({ type: WebhookWithSecretResponse })
  @ApiErrorResponses(404)
  async rotate(
    @Param('id') id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookWithSecretResponse> {
    const rotated = await this.webhooks.rotateSecret(webhookId(id), user.id);
    return { ...toWebhook(rotated), secret: rotated.secret };
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log: status, attempts, last response code, next attempt' })
  @ApiOkResponse({ type: WebhookDeliveryListResponse })
  @ApiErrorResponses(400, 404)
  async deliveries(
    @Param('id') id: string,
    @Query() query: ListDeliveriesQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<WebhookDeliveryListResponse> {
    const page = query.page ?? 1;
    const pageSize = query.page_size ?? 20;
    const { items, total } = await this.webhooks.deliveriesOf(
      webhookId(id),
      user.id,
      page,
      pageSize,
    );
    return { items: items.map(toDelivery), total, page, page_size: pageSize };
  }
}
