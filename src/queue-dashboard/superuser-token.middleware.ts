/**
 * Express middleware in front of the queue dashboard: a superuser bearer token in the
 * Authorization header, or `?access_token=` for a browser (the dashboard's own requests then carry
 * it in a cookie set here, scoped to the dashboard path).
 */
import { JwtService } from '@nestjs/jwt';
import type { NextFunction, Request, Response } from 'express';
import { TokenClaims, userFromClaims } from '../auth/auth-user';

const COOKIE = 'queue_dashboard_token';

export function superuserTokenMiddleware(jwt: JwtService, basePath: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const query = typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
    const cookie = /(?:^|;\s*)queue_dashboard_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const token = header ?? query ?? cookie;
    const deny = (status: number, code: string, message: string) => {
      res.status(status).json({ code, message, detail: message });
    };
    if (!token) return deny(401, 'UNAUTHENTICATED', 'A valid bearer token is required');
    let user;
    try {
      user = userFromClaims(jwt.verify<TokenClaims & object>(token, { algorithms: ['HS256'] }));
    } catch {
      return deny(401, 'UNAUTHENTICATED', 'The bearer token is invalid or expired');
    }
    if (!user) return deny(401, 'UNAUTHENTICATED', 'The bearer token has no subject');
    if (!user.isSuperuser) return deny(403, 'FORBIDDEN', 'The queue dashboard needs a superuser');
    if (query) {
      res.setHeader(
        'Set-Cookie',
        `${COOKIE}=${query}; Path=${basePath}; HttpOnly; SameSite=Strict`,
      );
    }
    next();
  };
}
