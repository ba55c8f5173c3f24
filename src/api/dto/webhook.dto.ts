/** Webhook subscriptions and their delivery log: request bodies, queries and responses. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageResponse } from './page.response';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { EVENT_TYPES } from '../../events/event-types';
import { ToNumber } from './wire-transforms';

/** POST /webhooks */
export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://hooks.example.com/extraction',
    description:
      'https URL; its host must resolve to public addresses only (checked now and at each delivery)',
  })
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiPropertyOptional({
    type: [String],
    enum: EVENT_TYPES,
    example: ['job.completed', 'job.failed'],
    description:
      'Event types to receive; when absent or empty, all but `bulk.progress` (≤ 1 per second per bulk, with its counters), which a subscription receives only when it lists it',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EVENT_TYPES.length * 2)
  @IsIn(EVENT_TYPES, {
    each: true,
    message: `"event_types" entries must be among ${EVENT_TYPES.join(', ')}`,
  })
  event_types?: string[];
}

/** GET /webhooks/{id}/deliveries?page=&page_size= */
export class ListDeliveriesQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1, example: 1 })
  @ToNumber()
  @IsOptional()
  @IsInt({ message: '"page" must be a whole number from 1' })
  @Min(1, { message: '"page" must be a whole number from 1' })
  page?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20, example: 20 })
  @ToNumber()
  @IsOptional()
  @IsInt({ message: '"page_size" must be a whole number from 1 to 100' })
  @Min(1, { message: '"page_size" must be a whole number from 1 to 100' })
  @Max(100, { message: '"page_size" must be a whole number from 1 to 100' })
  page_size?: number;
}

export class WebhookResponse {
  @ApiProperty({ format: 'uuid', example: '7d1e4c52-9f0a-4b3e-8c1d-2a5b6c7d8e9f' })
  id!: string;

  @ApiProperty({ example: 'https://hooks.example.com/extraction' })
  url!: string;

  @ApiProperty({ type: [String], enum: EVENT_TYPES, example: ['job.completed'] })
  event_types!: string[];

  @ApiProperty({ example: true })
  enabled!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why the subscription was disabled (deliveries failing for 3 days)',
  })
  disabled_reason!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
    description: 'Since when deliveries fail without a success',
  })
  failing_since!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T10:00:00.000Z' })
  created_at!: string;
}

/** The subscription with its signing secret: answered once, on creation and rotation. */
export class WebhookWithSecretResponse extends WebhookResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Standard Webhooks signing secret; shown only now',
  })
  secret!: string;
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] })
  items!: WebhookResponse[];
}

export class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid', example: '0b7c2d4e-5f60-4718-89ab-cdef01234567' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'The webhook-id header; stable across redeliveries' })
  event_id!: string;

  @ApiProperty({ enum: EVENT_TYPES, example: 'job.completed' })
  event_type!: string;

  @ApiProperty({ enum: ['pending', 'delivered', 'failed'], example: 'delivered' })
  status!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  attempts!: number;

  @ApiProperty({ type: 'integer', nullable: true, example: 200 })
  last_status_code!: number | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  last_error!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  next_attempt_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  delivered_at!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T10:00:00.000Z' })
  created_at!: string;
}

export class WebhookDeliveryListResponse extends PageResponse {
  @ApiProperty({ type: [WebhookDeliveryResponse] })
  items!: WebhookDeliveryResponse[];
}

export class CallbackSecretResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Signs the deliveries to callback_url of your jobs and bulks; shown only now',
  })
  secret!: string;
}
