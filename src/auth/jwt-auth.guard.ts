/**
 * Bearer JWT (HS256, secret from config) on every API route. EventSource cannot send headers, so
 * the events stream also accepts `?access_token=`.
 */
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { AuthUser, TokenClaims, userFromClaims } from './auth-user';
import { UnauthenticatedError } from './auth.errors';

export type AuthenticatedRequest = Request & { user: AuthUser };

@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const token = bearerToken(request);
    if (!token) throw new UnauthenticatedError();
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & object>(token, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthenticatedError('The bearer token is invalid or expired');
    }
    const user = userFromClaims(claims);
    if (!user) throw new UnauthenticatedError('The bearer token has no subject');
    request.user = user;
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
