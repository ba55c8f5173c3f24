/**
 * One error body everywhere: `{ code, message, details?, request_id }` (plus `detail`, the same
 * message, which the original FastAPI frontend reads). Domain codes map to statuses here and only
 * here; anything unknown is a 500 with a generic message, logged with its request id.
 */
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../../common/domain-error';
import { isDependencyUnavailable } from './infrastructure-errors';
import { redactUrl } from './redact-url';
import { requestIdOf } from './request-id';

/** Seconds a client should wait before trying again after a 503 SERVICE_UNAVAILABLE. */
export const RETRY_AFTER_SECONDS = 5;

export const STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  JOB_NOT_FOUND: 404,
  TABLE_NOT_FOUND: 404,
  FIELD_NOT_FOUND: 400,
  JOB_NOT_COMPLETED: 409,
  IMPORT_NOT_FOUND: 404,
  STORAGE_NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  JOB_NOT_FAILED: 400,
  RETRIES_EXHAUSTED: 400,
  NO_FAILED_JOBS: 400,
  INVALID_JOB_INPUT: 400,
  RESULT_NOT_READY: 400,
  VALIDATION_FAILED: 400,
  INVALID_OPTIONS: 400,
  UNSUPPORTED_FORMAT: 400,
  FORMAT_MISMATCH: 400,
  STORAGE_OUTSIDE: 400,
  STORAGE_INVALID_KEY: 400,
  FILE_TOO_LARGE: 413,
  QUOTA_EXCEEDED: 429,
  BODY_TOO_LARGE: 413,
  CORRUPT_FILE: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  PASSWORD_PROTECTED: 422,
  NOT_A_BOM: 422,
  EXTRACTION_FAILED: 422,
  EXTRACTOR_OUT_OF_MEMORY: 422,
  TOO_MANY_STREAMS: 429,
  NOT_IMPLEMENTED: 501,
  NOT_CONFIGURED: 503,
  PROVIDER_UNAVAILABLE: 503,
  STORAGE_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
  SYNC_QUEUE_FULL: 503,
  TIMEOUT: 504,
  ABORTED: 499,
  CLIENT_ABORTED: 499,
  EXTRACTOR_CRASHED: 500,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_URL_REFUSED: 400,
  CALLBACK_SECRET_MISSING: 400,
  TOO_MANY_WEBHOOKS: 400,
};

/** Codes of a momentary condition: the answer says when to try again. */
const RETRY_LATER_CODES = new Set(['SERVICE_UNAVAILABLE', 'SYNC_QUEUE_FULL']);

/** The body @nestjs/terminus sends with a failed health check. */
function isHealthReport(payload: unknown): boolean {
  return (
    typeof payload === 'object' && payload !== null && 'status' in payload && 'details' in payload
  );
}

export interface ErrorBody {
  code: string;
  message: string;
  detail: string;
  details?: Record<string, unknown>;
  request_id: string;
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = requestIdOf(request);
    if (error instanceof HttpException && isHealthReport(error.getResponse())) {
      // Readiness answers are for probes and operators: keep terminus's report as it is.
      response.status(error.getStatus()).json(error.getResponse());
      return;
    }
    const { status, body } = this.describe(error, requestId);
    if (body.code === 'SERVICE_UNAVAILABLE') {
      this.logger.warn(
        `${request.method} ${redactUrl(request.originalUrl)} → 503 [request ${requestId}]: ${String(error)}`,
      );
    } else if (status >= 500 && status !== 501 && status !== 503) {
      this.logger.error(
        `${request.method} ${redactUrl(request.originalUrl)} → ${status} [request ${requestId}]`,
        (error as Error)?.stack ?? String(error),
      );
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    const retryAfter = body.details?.retry_after_seconds;
    if (status === 429 && typeof retryAfter === 'number')
      response.setHeader('Retry-After', String(retryAfter));
    response.status(status).setHeader('X-Request-Id', requestId);
    if (RETRY_LATER_CODES.has(body.code) && !response.hasHeader('Retry-After')) {
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    response.json(body);
  }

  private describe(error: unknown, requestId: string): { status: number; body: ErrorBody } {
    const body = (code: string, message: string, details?: Record<string, unknown>): ErrorBody => ({
      code,
      message,
      detail: message,
      ...(details ? { details } : {}),
      request_id: requestId,
    });
    if (error instanceof DomainError) {
      return {
        status: STATUS_BY_CODE[error.code] ?? 400,
        body: body(error.code, error.message, error.details),
      };
    }
    const bodyParserType = (error as { type?: unknown })?.type;
    if (bodyParserType === 'entity.too.large') {
      // body-parser's refusal of a JSON body over its limit (it never reaches a route).
      const limit = (error as { limit?: number }).limit;
      return {
        status: 413,
        body: body(
          'BODY_TOO_LARGE',
          `The request body is larger than the limit of ${limit ?? 'the configured'} bytes`,
          limit ? { limit_bytes: limit } : undefined,
        ),
      };
    }
    if (bodyParserType === 'request.aborted') {
      // The client hung up while sending its JSON body: nobody reads this answer; no stack logged.
      return { status: 499, body: body('CLIENT_ABORTED', 'The client closed the request') };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const payload = error.getResponse();
      const raw =
        typeof payload === 'string'
          ? payload
          : ((payload as { message?: unknown }).message ?? error.message);
      const message = Array.isArray(raw)
        ? raw.map(String).join('; ')
        : typeof raw === 'string'
          ? raw
          : JSON.stringify(raw);
      const code =
        status === 404
          ? 'ROUTE_NOT_FOUND'
          : status === 413
            ? 'FILE_TOO_LARGE'
            : status === 400
              ? 'VALIDATION_FAILED' // e.g. Nest's answer to a JSON body that does not parse
              : (HttpStatus[status] ?? 'HTTP_ERROR');
      return { status, body: body(code, message) };
    }
    const code = (error as { code?: unknown })?.code;
    if (error instanceof Error && typeof code === 'string' && STATUS_BY_CODE[code]) {
      // Errors of plain-TS layers (storage, extractors) that carry a stable code.
      return { status: STATUS_BY_CODE[code], body: body(code, error.message) };
    }
    const multerCode = code;
    if (typeof multerCode === 'string' && multerCode.startsWith('LIMIT_')) {
      const status = multerCode === 'LIMIT_FILE_SIZE' ? 413 : 400;
      return {
        status,
        body: body(
          status === 413 ? 'FILE_TOO_LARGE' : 'VALIDATION_FAILED',
          (error as Error).message,
        ),
      };
    }
    if (isDependencyUnavailable(error)) {
      return {
        status: 503,
        body: body(
          'SERVICE_UNAVAILABLE',
          'The service is temporarily unavailable (a dependency such as its database cannot be reached); try again shortly',
        ),
      };
    }
    return { status: 500, body: body('INTERNAL_ERROR', 'Internal server error') };
  }
}
