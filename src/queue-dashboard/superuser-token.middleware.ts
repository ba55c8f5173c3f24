/**
 * Express middleware in front of the queue dashboard: a superuser bearer token in the
 * Authorization header, or `?access_token=` for a browser (the dashboard's own requests then carry
 * it in a cookie set here, scoped to the dashboard path).
 */
import type { NextFunction, Request, Response } from 'express';
import { AuthUser } from '../auth/auth-user';
import { BearerTokenVerifier } from '../auth/bearer-token-verifier';

const COOKIE = 'queue_dashboard_token';

export function superuserTokenMiddleware(tokens: BearerTokenVerifier, basePath: string) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const query = typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
    const cookie = /(?:^|;\s*)queue_dashboard_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const token = header ?? query ?? cookie;
    const deny = (status: number, code: string, message: string) => {
      res.status(status).json({ code, message, detail: message });
    };
    if (!token) return deny(401, 'UNAUTHENTICATED', 'A valid bearer token is required');
    let user: AuthUser;
    try {
      user = await tokens.verify(token);
    } catch (error) {
      return deny(401, 'UNAUTHENTICATED', (error as Error).message);
    }
    if (!user.isSuperuser) return deny(403, 'FORBIDDEN', 'The queue dashboard needs a superuser');
    if (query) {
      // Secure when the browser reached us over https (directly or through a proxy that says so).
      const secure = req.secure || req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
      res.setHeader(
        'Set-Cookie',
        `${COOKIE}=${query}; Path=${basePath}; HttpOnly; SameSite=Strict${secure}`,
      );
    }
    next();
  };
}
