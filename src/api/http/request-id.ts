/**
 * The request id of a response: the client's `X-Request-Id` when it is short and made of safe
 * characters (it ends up in logs and response headers), else a fresh UUID.
 */
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';

export const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(request: Request): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}
