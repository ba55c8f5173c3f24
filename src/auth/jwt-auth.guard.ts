/**
 * Bearer JWT (HS256, secret from config) on every API route. EventSource cannot send headers, so
 * the events stream also accepts `?access_token=`.
 */
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuthUser } from './auth-user';
import { UnauthenticatedError } from './auth.errors';
import { BearerTokenVerifier } from './bearer-token-verifier';

export type AuthenticatedRequest = Request & { user: AuthUser };

@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly tokens: BearerTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const token = bearerToken(request);
    if (!token) throw new UnauthenticatedError();
    request.user = await this.tokens.verify(token);
    return true;
  }
}

function bearerToken(request: Request): string | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match ? match[1] : null;
  }
  const query = request.query.access_token;
  return typeof query === 'string' && request.path.endsWith('/events') ? query : null;
}
